package fr.relais.config;

/** The whole configuration, read once at start-up; immutable. */
public record RelaisConfig(HttpConfig http, WsConfig ws, StreamConfig stream, DbConfig db, SecretsConfig secrets,
                           AuthConfig auth, PolicyConfig policy, MessagingConfig messaging, RecordConfig record,
                           AgendaConfig agenda, NotifyConfig notifications, MailConfig mail, LogConfig log) {

    static RelaisConfig from(Settings s) {
        return new RelaisConfig(HttpConfig.from(s), WsConfig.from(s), StreamConfig.from(s), DbConfig.from(s),
                SecretsConfig.from(s), AuthConfig.from(s), PolicyConfig.from(s), MessagingConfig.from(s), RecordConfig.from(s),
                AgendaConfig.from(s), NotifyConfig.from(s), MailConfig.from(s),
                LogConfig.from(s));
    }
}
