-- Finding a professional by name: each word of a professional's name, lower-cased and without accents, kept in
-- a table whose index answers "words that start with" (byte order, so a range scan serves any prefix). One
-- function writes the words, for the names and for the searches alike.
CREATE FUNCTION search_words(name text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(DISTINCT word), '{}')
    FROM regexp_split_to_table(lower(translate(replace(replace(replace(replace(replace(name,
            'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'),
            'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŸ',
            'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyY')), '[^[:alnum:]]+') AS word
    WHERE word <> ''
$$;

CREATE TABLE professional_name_word (
    word             text COLLATE "C" NOT NULL,
    professional_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (word, professional_id)
);
CREATE INDEX professional_name_word_professional ON professional_name_word (professional_id);

CREATE FUNCTION professional_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM professional_name_word WHERE professional_id = NEW.id;
    INSERT INTO professional_name_word (word, professional_id)
    SELECT word, NEW.id FROM unnest(search_words(NEW.display_name)) AS word;
    RETURN NEW;
END
$$;

CREATE TRIGGER professional_name_words AFTER INSERT OR UPDATE OF display_name ON account
    FOR EACH ROW WHEN (NEW.kind = 'professional') EXECUTE FUNCTION professional_name_words();

INSERT INTO professional_name_word (word, professional_id)
SELECT DISTINCT word, a.id FROM account a, unnest(search_words(a.display_name)) AS word WHERE a.kind = 'professional';
