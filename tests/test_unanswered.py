from bot.unanswered import group_questions


def test_similar_questions_are_grouped_most_frequent_first(advisor):
    rows = [
        {"question": q, "asked_at": f"2026-11-2{i % 9}T10:00:00"}
        for i, q in enumerate(
            [
                "how does soap work",
                "what is SOAP and how does it work",
                "how does the soap work??",
                "when is match day",
                "match day date",
                "how does soap work for imgs",
                "best pizza in chicago",
            ]
        )
    ]
    groups = group_questions(rows, advisor.index.normaliser)
    assert groups[0].count == 4 and "soap" in groups[0].example.lower()
    assert sum(g.count for g in groups) == len(rows)
    assert [g.count for g in groups] == sorted((g.count for g in groups), reverse=True)
