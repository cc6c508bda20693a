"""Read a rendered page's main form back into POST data, as a browser would submit it."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "data": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        data = self._form["data"]
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                data.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = {"name": a["name"], "multiple": "multiple" in a, "chosen": []}
            self._select["first"] = None
        elif tag == "option" and self._select is not None:
            self._option = a
            if self._select["first"] is None and "disabled" not in a:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"].append(a.get("value"))
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, text):
        if self._textarea is not None:
            self._textarea["text"] += text

    def handle_endtag(self, tag):
        if self._form is None:
            return
        data = self._form["data"]
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            data.setdefault(self._select["name"], []).extend(chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            data.setdefault(self._textarea["name"], []).append(text.removeprefix("\n"))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_data(html: str) -> tuple[str, dict]:
    """The action and fields of the page's biggest form (not the language or logout forms)."""
    parser = _FormParser()
    parser.feed(html)
    main = max(parser.forms, key=lambda f: len(f["data"]))
    data = {k: (v if len(v) > 1 else v[0]) for k, v in main["data"].items() if v}
    data.pop("csrfmiddlewaretoken", None)
    return main["action"], data
