CREATE TABLE gt (id int PRIMARY KEY, price numeric(10,2), qty int, total numeric GENERATED ALWAYS AS (price * qty) STORED, label text GENERATED ALWAYS AS ('item ' || id) STORED);
INSERT INTO gt (id, price, qty) VALUES (1, 2.50, 4), (2, 1, NULL);
INSERT INTO gt VALUES (3, 1, 1, DEFAULT, DEFAULT);
INSERT INTO gt (id, price, qty, total) VALUES (4, 1, 1, 5);
SELECT * FROM gt ORDER BY id;
UPDATE gt SET qty = 10 WHERE id = 1 RETURNING *;
UPDATE gt SET total = 3;
UPDATE gt SET total = DEFAULT WHERE id = 2 RETURNING total;
INSERT INTO gt (id, price, qty) VALUES (1, 9, 9) ON CONFLICT (id) DO UPDATE SET price = 3 RETURNING *;
\d gt
SELECT column_name, is_generated, generation_expression FROM information_schema.columns WHERE table_name = 'gt' ORDER BY ordinal_position;
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (random()::int) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a) STORED, c int GENERATED ALWAYS AS (b) STORED);
CREATE TABLE gbad (a int, b int DEFAULT 1 GENERATED ALWAYS AS (a) STORED);
DROP TABLE gt;
