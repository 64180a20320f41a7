-- A statement that writes outbox events wakes the dispatchers when its transaction
-- commits (NOTIFY is delivered at commit, once per transaction and payload): the writer
-- no longer sends a separate pg_notify, one round trip less for every change with events.
CREATE FUNCTION krika_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('krika_outbox', '');
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION krika_outbox_notify();
