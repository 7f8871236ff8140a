package fr.relais.identity;

import fr.relais.error.ApiError;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.CareTeam;
import fr.relais.identity.policy.DataCategory;
import fr.relais.identity.policy.EmergencyAccess;
import fr.relais.principal.Principal;
import fr.relais.stream.Streams;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Professionals' view of patients (the patients they treat, a patient's identity, emergency access), and the directory of professionals. */
public final class PatientRoutes {
    private final Streams streams;
    private final AccessPolicy policy;
    private final CareTeam careTeam;
    private final EmergencyAccess emergency;
    private final ProfessionalDirectory directory;

    public PatientRoutes(Streams streams, AccessPolicy policy, CareTeam careTeam, ProfessionalDirectory directory,
                         EmergencyAccess emergency) {
        this.directory = directory;
        this.streams = streams;
        this.policy = policy;
        this.careTeam = careTeam;
        this.emergency = emergency;
    }

    public void mount(Router api) {
        api.get("/patients").handler(this::myPatients);
        api.get("/patients/:patientId").handler(this::patient);
        api.post("/emergency-access").handler(this::openEmergencyAccess);
        api.get("/professionals/:rpps").handler(this::colleague);
        api.get("/professionals").handler(this::searchByName);
    }

    /** Professionals by name, for a patient declaring who treats them and a professional looking for a colleague. */
    private void searchByName(RoutingContext rc) {
        Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL);
        directory.search(rc.queryParams().get("q"), Requests.queryNumber(rc, "limit", ProfessionalDirectory.MAX_RESULTS))
                .onSuccess(found -> Responses.json(rc, 200, found)).onFailure(rc::fail);
    }

    /** A colleague found by RPPS number, to write to: professionals only, and only what the public directory shows. */
    private void colleague(RoutingContext rc) {
        Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        String rpps = Rpps.parse(rc.pathParam("rpps"), "rpps").value();
        careTeam.activeProfessionalByRpps(rpps).map(pro -> {
            JsonObject shown = new JsonObject().put("id", pro.getString("id")).put("displayName", pro.getString("displayName"))
                    .put("rpps", pro.getString("rpps")).put("profession", pro.getString("profession"));
            if (pro.containsKey("organisation")) {
                shown.put("organisation", pro.getString("organisation"));
            }
            return shown;
        }).onSuccess(pro -> Responses.json(rc, 200, pro)).onFailure(rc::fail);
    }

    private void myPatients(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        careTeam.patientsOf(pro.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    /** A patient's identity, through the access policy: the access is in the patient's history. */
    private void patient(RoutingContext rc) {
        Principal who = Authentication.principal(rc);
        UUID patientId = Fields.pathId(rc.pathParam("patientId"));
        if (who.isApp()) {
            throw ApiError.nothingHere(); // an app knows its patient by id: no scope opens their name and INS
        }
        streams.withTransaction(tx -> policy.read(tx, who, patientId, DataCategory.IDENTITY, "record.open", AccessPolicy.Seen.IDENTITY)
                        .compose(access -> Accounts.byId(tx.sql(), patientId).map(account -> new JsonObject()
                                .put("id", patientId.toString())
                                .put("displayName", account.orElseThrow().displayName())
                                .put("ins", account.get().ins())
                                .put("access", access(access)))))
                .onSuccess(json -> Responses.json(rc, 200, json))
                .onFailure(rc::fail);
    }

    /** How the caller reaches the record: by emergency (and until when), and whether it is their first access. */
    private static JsonObject access(AccessPolicy.Access access) {
        JsonObject shown = new JsonObject().put("emergency", access.emergency()).put("firstAccess", access.firstAccess());
        if (access.emergencyEndsAt() != null) {
            shown.put("expiresAt", access.emergencyEndsAt().toString());
        }
        return shown;
    }

    private void openEmergencyAccess(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        JsonObject body = Requests.json(rc);
        Ins ins = Ins.parse(body.getString("ins"), "ins");
        String reason = Fields.text(body, "reason", 10, 500);
        emergency.open(pro, ins, reason, Requests.ip(rc))
                .onSuccess(json -> Responses.json(rc, 201, json))
                .onFailure(rc::fail);
    }
}
