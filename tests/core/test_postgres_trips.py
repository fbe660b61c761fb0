"""How PostgreSQL's backend packs an event's statements into round trips (`_trips`): only
statements that could not have seen each other's rows share one, so packing never changes an
answer; and how a transaction of held-back writes becomes one message (`one_message`). Pure
functions: no server needed; the packed SQL runs in tests/core/test_storage.py."""

from __future__ import annotations

from bot.core.storage.base import lands_with_next
from bot.core.storage.postgres import LOCKED_BEGIN, _trips, one_message, written_out

READ_FLOWS = ("SELECT id FROM flows WHERE user_id = ?", (1,))
DROP_ASKS = ("UPDATE flows SET status = 'dropped' WHERE user_id = ?", (1,))
READ_SESSION = ("SELECT id FROM kletspot_sessies WHERE conversation_id = ?", (7,))
BUTTON = "INSERT INTO buttons (token, kind) VALUES (?, ?)"
BUTTON_ROW = (BUTTON, ("t1", "k"))
MARK = ("INSERT INTO pot_getrokken (conversation_id, question_id) VALUES (?, ?)", (7, "rood-1"))
DRAW = (
    "INSERT INTO trekkingen (conversation_id, question_id) VALUES (?, ?) RETURNING id",
    (7, "q"),
)


def test_writes_to_other_tables_travel_inside_the_next_statement() -> None:
    assert _trips([DROP_ASKS, READ_SESSION], answer=True) == [
        (
            "WITH w0 AS (UPDATE flows SET status = 'dropped' WHERE user_id = ?)"
            " SELECT id FROM kletspot_sessies WHERE conversation_id = ?",
            (1, 7),
        )
    ]
    assert _trips([MARK, DRAW], answer=True) == [
        (f"WITH w0 AS ({MARK[0]}) {DRAW[0]}", (7, "rood-1", 7, "q"))
    ]


def test_a_statement_that_would_see_a_held_write_waits_for_it() -> None:
    """The read of flows must see the withdrawn question: two trips, in order."""
    assert _trips([DROP_ASKS, READ_FLOWS], answer=True) == [DROP_ASKS, READ_FLOWS]


def test_a_held_write_may_read_what_the_statement_after_it_writes() -> None:
    """One after the other, the earlier one ran first and did not see the later one's rows
    either: a mark that checks the draws before it is written goes with the draw."""
    guarded = (
        "INSERT INTO pot_getrokken (conversation_id, question_id) SELECT ?, ? WHERE NOT EXISTS"
        " (SELECT 1 FROM trekkingen WHERE conversation_id = ? AND follows = ?)",
        (7, "rood-1", 7, 3),
    )
    assert _trips([guarded, DRAW], answer=True) == [
        (f"WITH w0 AS ({guarded[0]}) {DRAW[0]}", (7, "rood-1", 7, 3, 7, "q"))
    ]
    # but not the other way round, nor two writes of one table
    assert len(_trips([DRAW[:1] + ((7, "q"),), guarded], answer=True)) == 2
    again = ("INSERT INTO trekkingen (conversation_id, question_id) VALUES (?, ?)", (8, "r"))
    assert len(_trips([again, DRAW], answer=True)) == 2


def test_a_new_row_may_follow_an_update_of_its_table() -> None:
    """A flow that replaces the open ones of its kind: the UPDATE could not have met the new
    row one after the other either. Not when the new row reads its table, may meet a row (ON
    CONFLICT), or comes first."""
    new_flow = (
        "INSERT INTO flows (user_id, kind, step) VALUES (?, ?, ?) RETURNING id",
        (1, "plan", "ask"),
    )
    assert _trips([DROP_ASKS, new_flow], answer=True) == [
        (f"WITH w0 AS ({DROP_ASKS[0]}) {new_flow[0]}", (1, 1, "plan", "ask"))
    ]
    reading = (
        "INSERT INTO flows (user_id, kind, step) SELECT ?, ?, ? WHERE NOT EXISTS"
        " (SELECT 1 FROM flows WHERE user_id = ?)",
        (1, "plan", "ask", 1),
    )
    meeting = ("INSERT INTO flows (id, step) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (1, "x"))
    valued = ("INSERT INTO flows (user_id, step) VALUES (?, 'ask')", (1,))
    guarded_meeting = (
        "INSERT INTO flows (id, step) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM buttons)"
        " ON CONFLICT (id) DO NOTHING",
        (1, "x"),
    )
    for later in (reading, meeting, valued, guarded_meeting):
        assert len(_trips([DROP_ASKS, later], answer=True)) == 2
    assert len(_trips([new_flow, DROP_ASKS], answer=True)) == 2
    # a guard that reads another table (a reminder written only while its question waits)
    guarded = (
        "INSERT INTO flows (id, step) SELECT ?, ? WHERE EXISTS"
        " (SELECT 1 FROM buttons WHERE token = ?)",
        (2, "ask", "t"),
    )
    assert len(_trips([DROP_ASKS, guarded], answer=True)) == 1
    # nor in a table with unique keys of its own: its new row would be checked against the
    # row as it was before the UPDATE (one open kletspot per group)
    close = ("UPDATE kletspot_sessies SET status = 'klaar' WHERE conversation_id = ?", (7,))
    session = ("INSERT INTO kletspot_sessies (conversation_id, status) VALUES (?, ?)", (7, "open"))
    assert len(_trips([close, session], answer=True)) == 2


def test_new_rows_with_their_own_keys_share_a_statement() -> None:
    """Two questions' buttons with a flow's start between them: one statement. Not new rows
    whose ids the database numbers (their order could change), nor ones that meet a row."""
    buttons = "INSERT INTO buttons (token, kind) VALUES (?, ?)"
    flow = ("INSERT INTO flows (id, kind) VALUES (?, ?)", (5, "plan"))
    assert len(_trips([(buttons, ("a", "x")), flow, (buttons, ("b", "y"))])) == 1
    point = "INSERT INTO trekkingen (conversation_id, question_id) VALUES (?, ?)"
    assert len(_trips([(point, (1, "a")), flow, (point, (1, "b"))])) == 2
    again = (buttons + " ON CONFLICT (token) DO NOTHING", ("a", "x"))
    assert len(_trips([(buttons, ("a", "x")), flow, again])) == 2


def test_a_table_named_anywhere_counts_as_seen() -> None:
    """Cautious on purpose: a subquery, a join or even a string with the table's name."""
    joined = ("SELECT s.id FROM kletspot_sessies s JOIN flows f ON f.id = s.id", ())
    quoted = ("SELECT 'flows' AS part FROM kletspot_sessies", ())
    assert len(_trips([DROP_ASKS, joined], answer=True)) == 2
    assert len(_trips([DROP_ASKS, quoted], answer=True)) == 2


def test_a_run_of_one_plain_insert_is_one_insert_of_several_rows() -> None:
    buttons = [(BUTTON, ("a", "x")), (BUTTON, ("b", "x")), (BUTTON, ("c", "x"))]
    several = "INSERT INTO buttons (token, kind) VALUES (?, ?), (?, ?), (?, ?)"
    assert _trips(buttons) == [(several, ("a", "x", "b", "x", "c", "x"))]
    # ... so it travels with the writes before it: the buttons of a card with its draw's mark
    assert _trips([MARK, *buttons]) == [
        (f"WITH w0 AS ({MARK[0]}) {several}", (7, "rood-1", "a", "x", "b", "x", "c", "x"))
    ]


def test_conflicts_that_do_nothing_may_go_as_several_rows_but_updates_may_not() -> None:
    """Two rows of one statement may not update the same row (PostgreSQL refuses it), while
    a pipelined run updates it twice, in order."""
    ignore = "INSERT INTO pot_uit (conversation_id, item) VALUES (?, ?) ON CONFLICT DO NOTHING"
    assert _trips([(ignore, (7, "rood")), (ignore, (7, "rood"))]) == [
        (
            "INSERT INTO pot_uit (conversation_id, item) VALUES (?, ?), (?, ?) ON CONFLICT DO"
            " NOTHING",
            (7, "rood", 7, "rood"),
        )
    ]
    upsert = (
        "INSERT INTO senders (owner, heartbeat) VALUES (?, ?)"
        " ON CONFLICT (owner) DO UPDATE SET heartbeat = excluded.heartbeat"
    )
    assert _trips([(upsert, ("a", 1)), (upsert, ("a", 2))]) == [(upsert, [("a", 1), ("a", 2)])]


def test_a_run_of_another_statement_is_one_pipelined_trip() -> None:
    touch = "UPDATE members SET last_seen = ? WHERE user_id = ?"
    assert _trips([(touch, ("t", 1)), (touch, ("t", 2))]) == [(touch, [("t", 1), ("t", 2)])]


def test_an_insert_of_computed_values_stays_a_pipelined_run() -> None:
    computed = "INSERT INTO buttons (token, kind) VALUES (?, COALESCE(?, 'x'))"
    assert _trips([(computed, ("a", None)), (computed, ("b", None))]) == [
        (computed, [("a", None), ("b", None)])
    ]


def test_a_very_long_run_goes_a_hundred_rows_at_a_time() -> None:
    """PostgreSQL takes at most 32,767 parameters in one statement: a run is split a hundred
    rows at a time, and parts share a statement only below that limit."""
    rows = [(BUTTON, (str(n), "x")) for n in range(101)]
    [(sql, params)] = _trips(rows)
    assert sql.startswith("WITH w0 AS (INSERT") and len(params) == 202
    columns = ", ".join(f"c{n}" for n in range(1_000))
    marks = ", ".join("?" * 1_000)
    wide = [  # new rows of two tables in turn, so that no two neighbours are one run
        (f"INSERT INTO {table} ({columns}) VALUES ({marks})", (n,) * 1_000)
        for n in range(40)
        for table in ("buttons", "flows")
    ]
    assert [len(params) for _, params in _trips(wide)] == [32_000, 32_000, 16_000]


def test_the_statement_whose_answer_is_wanted_never_joins_a_run() -> None:
    """`changes()` counts the rows of its own statement, not those of the writes before it: it
    is never one row of a run, and where writes before it share its statement they are WITH
    parts, and the command tag is the last part's own."""
    held, own = (BUTTON, ("a", "x")), (BUTTON, ("b", "x"))
    [(sql, params)] = _trips([held, own], answer=True)
    assert sql == f"WITH w0 AS ({BUTTON}) {BUTTON}" and params == ("a", "x", "b", "x")
    point = "INSERT INTO trekkingen (conversation_id, question_id) VALUES (?, ?)"
    assert _trips([(point, (1, "a")), (point, (1, "b"))], answer=True) == [
        (point, (1, "a")),
        (point, (1, "b")),
    ]


def test_what_cannot_be_packed_goes_alone_in_order() -> None:
    script = ("BEGIN; SELECT 1", ())
    cte = ("WITH x AS (SELECT 1) SELECT * FROM x", ())
    assert _trips([MARK, script, cte, DRAW], answer=True) == [MARK, script, cte, DRAW]


def test_a_delete_goes_alone_as_its_cascades_reach_other_tables() -> None:
    forget = ("DELETE FROM users WHERE id = ?", (3,))
    assert _trips([forget, READ_FLOWS], answer=True) == [forget, READ_FLOWS]


def test_a_delete_of_a_table_no_key_refers_to_shares_like_an_update() -> None:
    """A team action taken off the list with the end of its owner's reminder: one statement."""
    reminder = ("UPDATE herinneringen SET status = 'cancelled' WHERE id IN (?)", (5,))
    action = ("DELETE FROM teamacties WHERE id = ?", (9,))
    assert _trips([reminder, action], answer=True) == [
        (f"WITH w0 AS ({reminder[0]}) {action[0]}", (5, 9))
    ]
    take = ("DELETE FROM flows WHERE id = ? RETURNING data", (4,))
    assert len(_trips([DROP_ASKS, take], answer=True)) == 2  # it would not see the update


def test_nothing_to_send_is_no_trip() -> None:
    assert _trips([]) == []


def test_a_write_that_lands_with_the_next_change_waits_on_it() -> None:
    """The change runs first (`m`), and the marked condition becomes 'm changed a row', its
    parameters taken out; the statement counts m's rows. Only for a change whose count is
    wanted."""
    guard, guarded = lands_with_next(
        ("EXISTS (SELECT 1 FROM flows WHERE id = ? AND step = ?)", (5, "ask"))
    )
    held = (f"UPDATE gesprekken SET wens = ? WHERE id = ? AND {guard}", ("x", 3, *guarded))
    move = ("UPDATE flows SET step = ? WHERE id = ? AND step = ?", ("b", 5, "ask"))
    [(sql, params)] = _trips([held, move], answer=True)
    assert sql == (
        "WITH m AS (UPDATE flows SET step = ? WHERE id = ? AND step = ? RETURNING 1),"
        " w0 AS (UPDATE gesprekken SET wens = ? WHERE id = ? AND EXISTS (SELECT 1 FROM m))"
        " SELECT 1 FROM m"
    )
    assert params == ("b", 5, "ask", "x", 3)
    [(sql, _)] = _trips([held, move])  # nothing wanted back (a unit's end): as it was
    assert sql.startswith("WITH w0 AS (UPDATE gesprekken") and "FROM m" not in sql


def test_a_mark_that_lands_with_a_draw_waits_on_it_and_the_draw_may_read_its_table() -> None:
    """A new row that is the change (a draw, its id wanted back) runs first too; the parts
    waiting on it come after it, so the draw may read the table of a mark that waits on it
    (whether a colour is still drawn through) in the same statement. Nested parentheses in
    the marked condition are its own."""
    lands, lands_params = lands_with_next(
        (
            "EXISTS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM trekkingen WHERE follows = ?)"
            " AND (SELECT COUNT(*) FROM pot_uit WHERE item IN ('a', 'b)')) = ?)",
            (3, 0),
        )
    )
    mark = (
        f"INSERT INTO pot_getrokken (conversation_id, question_id) SELECT ?, ? WHERE {lands}",
        (7, "rood-1", *lands_params),
    )
    draw = (
        "INSERT INTO trekkingen (conversation_id, question_id) SELECT ?, ? WHERE"
        " (SELECT COUNT(*) FROM pot_getrokken WHERE question_id IN (?)) = ? RETURNING id",
        (7, "q", "blauw-1", 1),
    )
    assert _trips([BUTTON_ROW, mark, draw], answer=True) == [
        (
            f"WITH m AS ({draw[0]}), w0 AS ({BUTTON}), w1 AS (INSERT INTO pot_getrokken"
            " (conversation_id, question_id) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM m))"
            " SELECT * FROM m",
            (7, "q", "blauw-1", 1, "t1", "k", 7, "rood-1"),
        )
    ]
    # held to the end of the unit, nothing waits: the mark before the draw, apart
    assert len(_trips([mark, draw])) == 2


def test_a_mark_about_another_tables_change_stays_a_condition() -> None:
    """An answer guarded by its question's flow, before a new row of another table: that row
    is not the flow's move, so the answer does not wait on it."""
    guard, guarded = lands_with_next(
        ("EXISTS (SELECT 1 FROM flows WHERE id = ? AND step = ?)", (5, "ask"))
    )
    held = (f"UPDATE gesprekken SET wens = ? WHERE id = ? AND {guard}", ("x", 3, *guarded))
    [(sql, params)] = _trips([held, DRAW], answer=True)
    assert sql == f"WITH w0 AS ({held[0]}) {DRAW[0]}"
    assert params == ("x", 3, 5, "ask", 7, "q")


def test_a_shape_packs_once_and_each_event_brings_its_own_values() -> None:
    """`_plan` packs a shape of statements once; `_trips` fills it with each event's values,
    wherever the packing put them (a run's rows, a waiting part's parameters taken out)."""
    guard, guarded = lands_with_next(
        ("EXISTS (SELECT 1 FROM flows WHERE id = ? AND step = ?)", (5, "ask"))
    )
    held = f"UPDATE gesprekken SET wens = ? WHERE id = ? AND {guard}"
    move = "UPDATE flows SET step = ? WHERE id = ? AND step = ?"
    touch = "UPDATE buttons SET created_at = ? WHERE token = ?"

    def event(n: int) -> list[tuple[str, tuple[object, ...]]]:
        return [
            (BUTTON, (f"t{n}", "k")),
            (BUTTON, (f"u{n}", "k")),
            (touch, (n, "a")),
            (touch, (n, "b")),
            (held, (f"wens {n}", n, n, "ask")),
            (move, ("b", n, "ask")),
        ]

    first, second = _trips(event(1), answer=True), _trips(event(2), answer=True)
    assert [sql for sql, _ in first] == [sql for sql, _ in second]
    assert [params for _, params in second] == [
        ("t2", "k", "u2", "k"),
        [(2, "a"), (2, "b")],
        ("b", 2, "ask", "wens 2", 2),
    ]
    assert _trips([(touch, (3, "c"))]) == [(touch, (3, "c"))]
    assert _trips([("SELECT 1", ())], answer=True) == [("SELECT 1", ())]
    wrong = ("UPDATE buttons SET created_at = ? WHERE token = ?", (1,))  # another shape
    assert _trips([wrong]) == [wrong]


def test_a_message_without_parameters_writes_out_whole_numbers_only() -> None:
    """A simple-query message carries no parameters: a whole number is written out, in
    parentheses (a minus after a minus is no comment); anything else (text, a bool, a float,
    a number beyond bigint) is never written into SQL, and neither is a statement whose
    markers and values differ or that holds a `;`. A `?` in quotes or a comment stays."""
    sql = "UPDATE t SET a = a - ? WHERE b = '?' AND c IN (?, ?) -- why?\n AND d = ?"
    assert written_out(sql, (-3, 5, 2**63 - 1, 0)) == (
        "UPDATE t SET a = a - (-3) WHERE b = '?' AND c IN ((5), (9223372036854775807))"
        " -- why?\n AND d = (0)"
    )
    for refused in ("x", True, 1.5, 2**63, None):
        assert written_out("DELETE FROM t WHERE id = ?", (refused,)) is None, refused
    assert written_out("DELETE FROM t WHERE id = ? AND k = ?", (1,)) is None
    assert written_out("DELETE FROM t WHERE id = ?; DROP TABLE t", (1,)) is None
    assert written_out("DELETE FROM t WHERE kind = 'reminder'", ()) == (
        "DELETE FROM t WHERE kind = 'reminder'"
    )


def test_a_transaction_of_whole_numbers_is_one_message_in_order() -> None:
    """BEGIN with the lock, the statements as they were made, COMMIT; a line break before each
    `;`, so a statement's closing comment hides nothing. One value that is not a whole number
    and the transaction is not one message."""
    first = ("DELETE FROM flows WHERE user_id = ? -- laatste", (7,))
    second = ("DELETE FROM users WHERE id = ?", (7,))
    assert one_message(LOCKED_BEGIN, [first, second]) == (
        f"{LOCKED_BEGIN}\n;\nDELETE FROM flows WHERE user_id = (7) -- laatste"
        "\n;\nDELETE FROM users WHERE id = (7)\n;\nCOMMIT"
    )
    assert one_message(LOCKED_BEGIN, [first, ("DELETE FROM users WHERE name = ?", ("7",))]) is None
