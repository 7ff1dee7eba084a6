CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE person (id int PRIMARY KEY, name text, m mood NOT NULL DEFAULT 'ok');
INSERT INTO person VALUES (1, 'a', 'happy'), (2, 'b', 'sad'), (3, 'c', DEFAULT);
INSERT INTO person VALUES (4, 'd', 'angry');
SELECT * FROM person ORDER BY m, id;
SELECT * FROM person WHERE m > 'sad' ORDER BY id;
SELECT m, count(*) FROM person GROUP BY m ORDER BY m;
SELECT 'ok'::mood < 'happy'::mood, 'happy'::mood::text, pg_typeof(m) FROM person WHERE id = 1;
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
ALTER TYPE mood ADD VALUE 'x' BEFORE 'nope';
INSERT INTO person VALUES (5, 'e', 'meh'), (6, 'f', 'ecstatic');
SELECT id, m FROM person ORDER BY m, id;
CREATE INDEX person_m ON person (m);
SELECT id FROM person WHERE m = 'meh';
SELECT enumlabel, enumsortorder > 0 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'mood' ORDER BY enumsortorder;
SELECT typname, typtype, typcategory, typlen FROM pg_type WHERE typname = 'mood';
SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'person'::regclass AND attname = 'm';
\d person
\dT
UPDATE person SET m = 'sad' WHERE id = 5 RETURNING *;
SELECT m::text || '!' FROM person WHERE id = 1;
INSERT INTO person VALUES (7, 'g', 'ok'::text);
DROP TYPE mood;
CREATE TYPE mood AS ENUM ('a');
DROP TABLE person;
DROP TYPE mood;
DROP TYPE IF EXISTS mood;
