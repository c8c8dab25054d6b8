"""A hostile feed served by the newsroom: markup, escape sequences, huge titles, RTL and zero-width text."""
from __future__ import annotations

ESC = "\x1b"
MARKUP_TITLE = "[@click=app.quit]Click me[/] and [bold red]shout[/bold red]"
ESCAPE_TITLE = f"Clear {ESC}[2J{ESC}[31mred{ESC}[0m and clipboard {ESC}]52;c;aGVsbG8={chr(7)} done"
RTL_TITLE = "\u0645\u0631\u062d\u0628\u0627 \u202eevil\u202c zero\u200bwidth\u200d joined"
LONG_TITLE = "Long " + "headline " * 1111  # 10,000 characters
TITLES = [MARKUP_TITLE, ESCAPE_TITLE, RTL_TITLE, LONG_TITLE]


def hostile_rss(base: str) -> bytes:
    """RSS 2.0 whose items carry the hostile text in CDATA (titles and descriptions)."""
    items = []
    for n, title in enumerate(TITLES):
        body = f"{title} body {ESC}[5m blink {ESC}]8;;http://evil.example/{ESC}\\link{ESC}]8;;{ESC}\\ [link=x]y[/link]"
        items.append(f"<item><title><![CDATA[{title}]]></title><link>{base}/hostile/{n}</link>"
                     f"<guid>hostile-{n}</guid><pubDate>Sat, 21 Nov 2026 12:0{n}:00 GMT</pubDate>"
                     f"<description><![CDATA[{body}]]></description></item>")
    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title><![CDATA[[blink]Hostile[/blink] \x1b[7mfeed]]></title><link>http://127.0.0.1/</link>"
            "<description>hostile</description>" + "".join(items) + "</channel></rss>")
    return feed.encode("utf-8")
