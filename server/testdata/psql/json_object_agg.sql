SELECT json_object_agg(k, v), jsonb_object_agg(k, v) FROM (VALUES ('a', 1), ('b', NULL), ('a', 3)) t(k, v);
SELECT json_object_agg(k, v) FROM (VALUES (NULL::text, 1)) t(k, v);
SELECT json_object_agg(k, v) IS NULL FROM (VALUES ('x', 1)) t(k, v) WHERE false;
SELECT jsonb_object_agg(k, ARRAY[v]) FROM (VALUES (1, 1), (2, 2)) t(k, v);
SELECT g, json_object_agg(k, v ORDER BY k DESC) FROM (VALUES (1, 'a', 'x'), (1, 'b', 'y'), (2, 'c', 'z')) t(g, k, v) GROUP BY g ORDER BY g;
SELECT jsonb_object_agg('k' || i, i * 10) FROM generate_series(1, 3) i;
