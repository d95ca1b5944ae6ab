from bot.console import ConsoleChat
from bot.session import Interviews
from bot.store import Store

COMPLETE_240 = ["pass", "1", "yes", "240", "1", "skip", "h1b", "0", "skip", "skip", "skip"]


def scripted(lines: list[str]):
    feed = iter(lines)

    def read(_prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return read


async def chat(advisor, store, lines: list[str]) -> str:
    out: list[str] = []
    await ConsoleChat(advisor, Interviews(store), "console:t", scripted(lines), out.append).run()
    return "\n".join(out)


async def test_interview_then_plan_then_personal_answer(advisor, store):
    text = await chat(
        advisor,
        store,
        [
            "pass",
            "1",
            "yes",
            "219",
            "1",
            "skip",
            "j1",
            "0",
            "skip",
            "skip",
            "skip",
            "how many programs should i apply to",
            "quit",
        ],
    )
    assert "[Step 1 of 13]" in text and "Your prelim IM score-strategy plan" in text
    after_plan = text.split("Ask me anything")[-1]
    assert "219" in after_plan and "120–150" in after_plan


async def test_bad_input_is_re_asked_with_a_clear_message(advisor, store):
    text = await chat(advisor, store, ["pass", "two", "quit"])
    assert "Sorry, please type a whole number" in text
    assert text.count("How many times have you taken Step 1") == 2
    assert await store.answers("console:t") == {"step1_result": "pass"}


async def test_back_and_skip(advisor, store):
    text = await chat(advisor, store, ["pass", "back", "fail", "skip", "quit"])
    assert "can't be skipped" in text
    assert await store.answers("console:t") == {"step1_result": "fail"}


async def test_quitting_keeps_answers_and_restart_resumes(advisor, tmp_path):
    path = tmp_path / "c.db"
    store = await Store.open(path)
    await chat(advisor, store, ["not taken", "quit"])
    await store.close()
    store = await Store.open(path)
    text = await chat(advisor, store, ["quit"])
    assert "Welcome back" in text and "Have you taken Step 2 CK" in text
    await store.close()


async def test_forget_in_chat_deletes_everything(advisor, store):
    await chat(
        advisor,
        store,
        [*COMPLETE_240, "forget", "yes"],
    )
    assert await store.rows_about("console:t") == 0


async def test_off_topic_question_is_refused_and_queued(advisor, store):
    text = await chat(
        advisor,
        store,
        [*COMPLETE_240, "best pizza in chicago", "quit"],
    )
    assert "can’t answer" in text
    assert [row["question"] for row in await store.unanswered(None, everywhere=True)] == ["best pizza in chicago"]
