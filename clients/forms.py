"""Forms of the clients app: input validation with Czech messages, layouts for crispy."""
