from bot.render import split_message, tidy, typeset


def test_apostrophes_and_quotes_take_the_guides_typography():
    assert typeset("don't delay") == "don’t delay"
    assert typeset('do not rush Step 1 just to "get it done"') == (
        "do not rush Step 1 just to “get it done”"
    )


def test_typography_leaves_lone_marks_and_line_structure_alone():
    assert typeset("programs' lists") == "programs' lists"  # no letter after it: not guessed
    assert typeset('a "quote\nacross lines"') == 'a "quote\nacross lines"'
    assert tidy("line one  \n\n\n\nline two's\n") == "line one\n\nline two’s"


def test_split_message_keeps_every_chunk_within_the_limit():
    text = "\n\n".join(["word " * 300] * 5)
    chunks = split_message(text, 2000)
    assert all(len(c) <= 2000 for c in chunks)
    assert sum(c.count("word") for c in chunks) == 1500
