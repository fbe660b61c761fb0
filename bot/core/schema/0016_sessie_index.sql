-- What a kletspot talked about and noted is read per session (the next question's number, the
-- summary): without these, each read went through every draw and note of every team.
CREATE INDEX trekkingen_sessie ON trekkingen(session_id);
CREATE INDEX aanknopingspunten_sessie ON aanknopingspunten(session_id);
