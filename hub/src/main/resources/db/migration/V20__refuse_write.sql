-- Lets a write done in one statement refuse itself once its data-modifying parts have run (a sender cut off
-- while the statement waited for a row): the error aborts the statement, so nothing of it is kept.
CREATE FUNCTION refuse_write(reason text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'RW001', MESSAGE = reason;
END
$$;
