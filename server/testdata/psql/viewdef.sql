CREATE TABLE vt (id int PRIMARY KEY, name text, price numeric(10,2), cat int);
CREATE TABLE vc (id int PRIMARY KEY, label varchar(20));
CREATE VIEW v1 AS SELECT id, name FROM vt WHERE price > 1;
CREATE VIEW v2 AS SELECT t.name AS n, c.label, t.price * 2 AS dbl FROM vt t JOIN vc c ON c.id = t.cat WHERE t.name <> 'x' ORDER BY t.name DESC LIMIT 10;
CREATE VIEW v3 AS SELECT cat, count(*), sum(price) AS total, max(name) FROM vt GROUP BY cat HAVING count(*) > 1 ORDER BY cat;
CREATE VIEW v4 AS SELECT DISTINCT vt.cat FROM vt LEFT JOIN vc ON vc.id = vt.cat;
CREATE VIEW v5 AS SELECT 'const' AS k, 1 + 2 AS three, lower(name) FROM vt, vc WHERE vt.cat = vc.id;
CREATE VIEW v6 AS SELECT id FROM vt UNION SELECT id FROM vc;
SELECT pg_get_viewdef('v1'::regclass, true);
SELECT pg_get_viewdef('v1'::regclass);
SELECT pg_get_viewdef('v2'::regclass, true);
SELECT pg_get_viewdef('v2'::regclass);
SELECT pg_get_viewdef('v3'::regclass, true);
SELECT pg_get_viewdef('v3'::regclass);
SELECT pg_get_viewdef('v4'::regclass, true);
SELECT pg_get_viewdef('v4'::regclass);
SELECT pg_get_viewdef('v5'::regclass, true);
SELECT pg_get_viewdef('v5'::regclass);
\d+ v2
DROP VIEW v1, v2, v3, v4, v5, v6;
DROP TABLE vt, vc;
create table vo (a int, b text, c int);
create view vo1 as select a, b as bee, c + 1 as c1 from vo order by 2 desc, c1, a nulls first;
create view vo2 as select b, count(*) as n, lower(b) as lb from vo group by b, lower(b), c + 1 order by n desc, 1, lower(b);
\d+ vo1
\d+ vo2
select pg_get_viewdef('vo1'::regclass), pg_get_viewdef('vo2'::regclass);
drop view vo1, vo2;
drop table vo;
