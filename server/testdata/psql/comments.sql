CREATE TABLE ct (id int PRIMARY KEY, name text);
CREATE INDEX ct_name ON ct (name);
CREATE VIEW cv AS SELECT id FROM ct;
CREATE SEQUENCE cs;
COMMENT ON TABLE ct IS 'the table';
COMMENT ON COLUMN ct.name IS 'a name';
COMMENT ON INDEX ct_name IS 'by name';
COMMENT ON VIEW cv IS 'a view';
COMMENT ON SEQUENCE cs IS 'a seq';
COMMENT ON SCHEMA public IS 'my schema';
COMMENT ON TABLE cv IS 'wrong';
COMMENT ON COLUMN ct.nope IS 'x';
SELECT obj_description('ct'::regclass, 'pg_class'), col_description('ct'::regclass, 2), obj_description('ct_name'::regclass), obj_description('public'::regnamespace, 'pg_namespace');
\d+ ct
COMMENT ON TABLE ct IS NULL;
SELECT obj_description('ct'::regclass, 'pg_class');
DROP VIEW cv; DROP TABLE ct; DROP SEQUENCE cs;
COMMENT ON SCHEMA public IS 'standard public schema';
