"""Licence, copyright and permission notices inside material are not read as material."""

import json

import pytest

from teachback.errors import SourceError
from teachback.ingest.readers import read_bytes
from teachback.ingest.readers.legal import is_notice

MIT = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files (the “Software”), to deal in the Software "
    "without restriction.",
    "The above copyright notice and this permission notice shall be included in all copies "
    "or substantial portions of the Software.",
    "THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.",
)


@pytest.mark.parametrize(
    "text",
    [
        *MIT,
        "Copyright © 2008–2019, 2021 Anthony Green and Red Hat, Inc.",
        "# Copyright 2020 The Authors. All rights reserved.",
        "# SPDX-License-Identifier: BSD-3-Clause",
        "This project is licensed under the MIT License - see the LICENSE file for details.",
        "Redistribution and use in source and binary forms, with or without modification, are "
        "permitted provided that the following conditions are met:",
    ],
)
def test_standard_notice_wording_is_a_notice(text):
    assert is_notice(text)


@pytest.mark.parametrize(
    "text",
    [
        "A copyright protects a work; a licence grants others permission to use it.",
        "Software is provided to the learner as a notebook, so every cell can be run again.",
        "The queue is licensed to hold at most maxsize items; put() blocks when it is full, "
        "until a consumer takes one out, and get() blocks when it is empty, which is how a "
        "producer and consumer are kept in step without either one polling the other in a "
        "loop that wastes time, a pattern shown in every threading tutorial on the web, "
        "and one that is licensed under the same terms as the rest of the example code.",
    ],
)
def test_prose_that_mentions_licences_is_not_a_notice(text):
    assert not is_notice(text)


def test_html_manual_keeps_its_intro_and_drops_the_licence():
    page = (
        "<html><head><title>libffi</title></head><body><h1>libffi</h1>"
        "<p>This manual is for libffi, a portable foreign function interface library.</p>"
        "<p>Copyright &copy; 2008&ndash;2019 Anthony Green and Red Hat, Inc.</p>"
        + "".join(f"<p>{p}</p>" for p in MIT)
        + "</body></html>"
    )
    doc = read_bytes("index.html", page.encode())
    assert doc.section_text_matches()
    texts = [s.text for s in doc.sections]
    intro = "This manual is for libffi, a portable foreign function interface library."
    assert texts[-1] == intro and set(texts[:-1]) <= {"libffi"}  # (the title may be dropped)


def test_markdown_license_section_goes_with_its_heading():
    md = (
        "# Queues\n\nA queue hands items from producers to consumers in order.\n\n"
        "## License\n\nCopyright (c) 2024 Ada Lovelace\n\n" + "\n\n".join(MIT) + "\n"
    )
    doc = read_bytes("README.md", md.encode())
    assert doc.section_text_matches()
    assert [s.text for s in doc.sections] == [
        "Queues",
        "A queue hands items from producers to consumers in order.",
    ]


def test_code_header_comment_dropped_and_module_still_defined():
    src = (
        "# Copyright 2020 The Authors.\n"
        '# Licensed under the Apache License, Version 2.0 (the "License");\n'
        "# you may not use this file except in compliance with the License.\n"
        '"""Queues of work items."""\n'
        "import os\n\n\n"
        "# explain the helper below in a few words\n"
        "def f(x):\n    return os.path.join(x)\n"
    )
    doc = read_bytes("work.py", src.encode())
    assert doc.section_text_matches()
    assert [s.kind for s in doc.sections] == ["docstring", "code", "comment", "code"]
    module = doc.sections[0]
    assert module.signals["symbol_kind"] == "module" and module.signals["definition"] is True
    assert module.signals["docstring"] == "Queues of work items."
    assert "Licensed" not in " ".join(s.text for s in doc.sections)


def test_notebook_licence_cell_and_header_comment_dropped():
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Joins\n"]},
        {"cell_type": "markdown", "metadata": {}, "source": [MIT[0]]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": [
                "# Copyright (c) 2024 Ada Lovelace. All rights reserved.\n",
                "left = load('left')  # the table whose keys are kept in every row\n",
            ],
        },
        {"cell_type": "markdown", "metadata": {}, "source": ["An inner join keeps shared keys."]},
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    doc = read_bytes("joins.ipynb", json.dumps(nb).encode())
    assert doc.section_text_matches()
    texts = [s.text for s in doc.sections]
    assert MIT[0] not in texts and "An inner join keeps shared keys." in texts
    code = next(s for s in doc.sections if s.kind == "code")
    comments = [doc.text[a:b] for a, b in code.signals.get("comments", [])]
    assert comments == ["the table whose keys are kept in every row"]


def test_a_file_that_is_only_a_licence_is_a_clear_error():
    with pytest.raises(SourceError, match="only a licence or copyright notice"):
        read_bytes("NOTICE.md", "\n\n".join(MIT).encode())
