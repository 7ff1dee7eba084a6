-- Renames and SET SCHEMA: views, defaults, checks, generated columns,
-- index expressions and serial defaults keep naming the same objects.
create table r1 (a int primary key, b int check (b > 0), c int default 5, d int generated always as (b*2) stored);
create index r1_bi on r1 ((b+1));
create view rv1 as select a, b from r1 where b > 1 order by b;
insert into r1 values (1, 2, 3);
alter table r1 rename column b to bb;
insert into r1 values (2, 3, 4);
insert into r1 values (3, -1, 4);
select * from r1 order by a;
select * from rv1;
\d r1
alter table r1 rename to r2;
select * from rv1;
\d+ rv1
alter index r1_bi rename to r2_bi;
alter table r2 rename constraint r1_b_check to r2_check;
alter table r2 rename constraint r1_pkey to r2_pkey;
\d r2
create table p (id serial primary key, name text unique, qty int);
create table c (cid int primary key, pid int references p(id), note text, constraint note_len check (length(note) < 100));
insert into p (name, qty) values ('a', 1), ('b', 2);
insert into c values (1, 1, 'x'), (2, 2, 'y');
create view pv as select p.id, name, (select count(*) from c where c.pid = p.id) as n from p where qty > 0 order by name;
create view pv2 as select x.name, x.n from (select name, n from pv) x where x.n > 0;
create view pj as select p.*, c.note from p join c on c.pid = p.id;
create view pw as select json_agg(p order by id) as j from p;
create view pc as with q as (select id, qty from p) select id, qty * 2 as dbl from q;
create view pk as select p.id, upper(p.name) as u, c.note from p left join c on c.pid = p.id where p.qty > 0;
alter table p rename column name to title;
alter table p rename column qty to quantity;
alter table p rename to products;
insert into products (title, quantity) values ('c', 3);
select * from pv;
select * from pv2;
select * from pj order by id;
select * from pw;
select * from pc order by id;
select * from pk order by id;
\d+ pk
alter sequence p_id_seq rename to products_id_seq;
insert into products (title, quantity) values ('d', 4);
\d products
alter table c rename constraint c_pid_fkey to c_products_fkey;
alter table c rename constraint note_len to note_length;
alter table products rename constraint p_name_key to products_title_key;
alter table c rename constraint nope to x;
alter table c rename constraint note_length to c_pkey;
alter table c rename constraint note_length to products_title_key;
alter index p_pkey rename to products_pkey;
alter index products_pkey rename to c_pkey;
alter index nope rename to x;
alter index if exists nope rename to x;
alter table if exists nope rename to x;
alter table products_title_key rename to products_title_idx;
alter table products rename column nope to x;
alter table products rename column title to id;
\d products
\d c
create schema inv;
alter table products set schema inv;
alter table products set schema inv;
alter table nope set schema inv;
alter table c set schema nope;
alter table if exists nope set schema inv;
insert into inv.products (title, quantity) values ('e', 5);
select * from pv;
\d inv.products
\ds inv.*
\d+ pk
alter view pv rename to pview;
select * from pv2;
alter table inv.products rename column title to name;
select * from pview;
select * from pv2;
select * from pk order by id;
insert into c values (3, 99, 'z');
drop view pv2, pview, pj, pw, pc, pk, rv1;
drop table c, inv.products, r2;
drop schema inv;
