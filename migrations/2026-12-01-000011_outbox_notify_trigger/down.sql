DROP TRIGGER outbox_events_notify ON outbox_events;
DROP FUNCTION krika_outbox_notify();
