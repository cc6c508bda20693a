"""Writes of the clients app with side effects beyond one row; each atomic and documented."""
