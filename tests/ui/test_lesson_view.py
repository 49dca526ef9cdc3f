"""The lesson renderer: parts in order, code and outputs as code, stored figures as images,
source HTML and remote images never shown as such."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from teachback.ui.lesson_view import lesson_parts

KEY = "a" * 64
LESSON = f"""**Merge**

The `pd.merge` function joins frames. <b onclick="x">bold?</b> [1]

- one
- two

```python
pd.merge(a, b)
```

Output:

````text
   x
0  1
````

![Figure from cell 2](teachback-image:{KEY})

![tracker](https://example.com/t.png) Remote images stay text. ![ref][r1]

$$
y = x^2
$$
"""


def test_lesson_parts_in_order():
    assert lesson_parts(LESSON) == [
        ("markdown", {"text": "**Merge**"}),
        (
            "markdown",
            {"text": 'The `pd.merge` function joins frames. <b onclick="x">bold?</b> [1]'},
        ),
        ("markdown", {"text": "- one\n- two"}),
        ("code", {"code": "pd.merge(a, b)", "language": "python", "output": False}),
        ("code", {"code": "   x\n0  1", "language": "text", "output": True}),
        ("image", {"alt": "Figure from cell 2", "key": KEY}),
        ("markdown", {"text": "tracker Remote images stay text. ref"}),
        ("latex", {"body": "y = x^2"}),
    ]


def _app(lesson: str):
    from teachback.ui.lesson_view import render_lesson

    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f6e1c60000000049454e44ae426082"
    )
    render_lesson({"text": lesson}, load_image=lambda key: ("image/png", png))


def test_render_lesson_uses_code_image_and_latex_elements_with_html_escaped():
    at = AppTest.from_function(_app, args=(LESSON,)).run(timeout=30)
    assert not at.exception
    assert [c.value for c in at.code] == ["pd.merge(a, b)", "   x\n0  1"]
    assert [c.language for c in at.code] == ["python", "text"]
    assert [m.value for m in at.latex] == ["$$\ny = x^2\n$$"]
    images = [n for n in at.main if n.type == "image"]
    assert [i.proto.imgs[0].caption for i in images] == ["Figure from cell 2"]
    texts = [m.value for m in at.markdown]
    assert 'The `pd.merge` function joins frames. <b onclick="x">bold?</b> [1]' in texts
    assert all(not m.proto.allow_html for m in at.markdown)
    assert [c.value for c in at.caption] == ["Output"]


def _learn_page_lesson(lesson: dict):
    from teachback.ui import learn

    learn.show_lesson(lesson, "explain")


def test_the_learn_page_shows_a_stored_figure_from_the_store(tmp_path, monkeypatch):
    import base64
    import hashlib

    from teachback.curricula.db import open_db
    from teachback.curricula.images import store_images

    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f6e1c60000000049454e44ae426082"
    )
    key = hashlib.sha256(png).hexdigest()
    db_path = tmp_path / "store.db"
    db = open_db(db_path)
    item = {"key": key, "mime": "image/png", "alt": "loss", "data": base64.b64encode(png).decode()}
    store_images(db, {"images": {"loss.png": item}})
    db.close()
    monkeypatch.setenv("TEACHBACK_DB", str(db_path))
    lesson = {"text": f"**Loss**\n\nThe loss falls. [1]\n\n![loss curve](teachback-image:{key})\n"}
    at = AppTest.from_function(_learn_page_lesson, args=(lesson,)).run(timeout=30)
    assert not at.exception
    images = [n for n in at.main if n.type == "image"]
    assert [i.proto.imgs[0].caption for i in images] == ["loss curve"]
    assert [m.value for m in at.markdown] == ["**Loss**", "The loss falls. [1]"]
