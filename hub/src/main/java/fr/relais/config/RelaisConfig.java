package fr.relais.config;

/** The whole configuration, read once at start-up; immutable. */
public record RelaisConfig(HttpConfig http, ClusterConfig cluster, WsConfig ws, StreamConfig stream, DbConfig db, SecretsConfig secrets,
                           AuthConfig auth, PolicyConfig policy, MessagingConfig messaging, RecordConfig record,
                           AgendaConfig agenda, NotifyConfig notifications, MailConfig mail, AuditConfig audit, LogConfig log,
                           WebhookConfig webhooks, SmsConfig sms, PushConfig push) {

    /** The same configuration with clustering switched on (the --cluster option). */
    public RelaisConfig clustered() {
        return new RelaisConfig(http, cluster.enabledNow(), ws, stream, db, secrets, auth, policy, messaging, record, agenda,
                notifications, mail, audit, log, webhooks, sms, push);
    }

    static RelaisConfig from(Settings s) {
        return new RelaisConfig(HttpConfig.from(s), ClusterConfig.from(s), WsConfig.from(s), StreamConfig.from(s), DbConfig.from(s),
                SecretsConfig.from(s), AuthConfig.from(s), PolicyConfig.from(s), MessagingConfig.from(s), RecordConfig.from(s),
                AgendaConfig.from(s), NotifyConfig.from(s), MailConfig.from(s), AuditConfig.from(s),
                LogConfig.from(s), WebhookConfig.from(s), SmsConfig.from(s),
                PushConfig.from(s));
    }
}
