-- A person who chose no quiet hours ("quietHours": null) is told apart from one who never chose: the first gets
-- emails at any hour, the second the configured default (notify.quietHours).
ALTER TABLE notification_setting ADD COLUMN quiet_hours_chosen boolean NOT NULL DEFAULT false;
UPDATE notification_setting SET quiet_hours_chosen = true WHERE quiet_start IS NOT NULL;
