-- the waiting room's line in the database: one line for every server process
-- Before, each process kept its own line, and a number one process signed was honoured by another
-- as a place in its own line. `issued` is the last number handed out; numbers up to `served` may
-- come in. Each process still limits how many bookings it serves at once.
CREATE TABLE waiting_line (
  id      BIGINT PRIMARY KEY CHECK (id = 1),
  issued  BIGINT NOT NULL,
  served  BIGINT NOT NULL CHECK (served <= issued)
);
INSERT INTO waiting_line (id, issued, served) VALUES (1, 0, 0);
