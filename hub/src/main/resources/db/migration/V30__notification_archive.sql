-- Notifications a person put away (archived): out of their centre's list, kept with their events.
CREATE TABLE stream_event_archived (
    recipient_id  uuid    NOT NULL,
    "offset"      bigint  NOT NULL,
    PRIMARY KEY (recipient_id, "offset"),
    FOREIGN KEY (recipient_id, "offset") REFERENCES stream_event (recipient_id, "offset") ON DELETE CASCADE
);
