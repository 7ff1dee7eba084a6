CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, profile jsonb);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX ON users ((profile->>'city'));
CREATE INDEX users_mixed ON users (id, (profile->>'zip'));
INSERT INTO users VALUES (1, 'Ann@X.com', '{"city": "Oslo", "zip": "0150"}'), (2, 'bob@x.com', '{"city": "Rome"}'), (3, 'cy@x.com', NULL);
INSERT INTO users VALUES (4, 'ANN@x.COM', NULL);
SELECT id FROM users WHERE lower(email) = 'ann@x.com';
SELECT id FROM users WHERE profile->>'city' = 'Rome';
UPDATE users SET profile = '{"city": "Rome"}' WHERE id = 3;
SELECT id FROM users WHERE profile->>'city' = 'Rome' ORDER BY id;
UPDATE users SET email = 'BOB@x.com' WHERE id = 1;
DELETE FROM users WHERE id = 2;
UPDATE users SET email = 'BOB@x.com' WHERE id = 1;
SELECT id, email FROM users WHERE lower(email) = 'bob@x.com';
INSERT INTO users VALUES (5, 'ann@x.com', NULL) ON CONFLICT DO NOTHING;
SELECT id FROM users WHERE lower(email) = 'ann@x.com';
CREATE INDEX bad ON users (random());
CREATE INDEX bad ON users ((now()));
\d users
SELECT pg_get_indexdef('users_email_lower'::regclass);
ALTER TABLE users DROP COLUMN profile;
\d users
DROP TABLE users;
