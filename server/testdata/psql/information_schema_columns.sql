CREATE TYPE st AS ENUM ('a', 'b');
CREATE TABLE ist (id int PRIMARY KEY, tags text[], s st, j jsonb, v varchar(5), n numeric(6,2), ts timestamptz);
SELECT column_name, data_type, udt_schema, udt_name, character_maximum_length, numeric_precision, numeric_scale, datetime_precision, is_nullable FROM information_schema.columns WHERE table_name = 'ist' ORDER BY ordinal_position;
DROP TABLE ist;
DROP TYPE st;
