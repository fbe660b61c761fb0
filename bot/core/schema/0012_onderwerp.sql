-- A note (aanknopingspunt) can belong to something other than a drawn question: the front of the
-- reflection questions a team just posted (reflectie team). `onderwerp` is that heading.
ALTER TABLE aanknopingspunten ADD COLUMN onderwerp TEXT;

-- What a team talks about now, when it is not a question from the jar: the latest front posted
-- with reflectie team. A note typed soon after belongs to it, unless a question was drawn since
-- (a draw newer than `na_trekking`, the newest draw when the front was posted).
CREATE TABLE gespreksonderwerpen (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    onderwerp TEXT NOT NULL,
    na_trekking INTEGER NOT NULL DEFAULT 0,
    gezet_op TEXT NOT NULL
);
