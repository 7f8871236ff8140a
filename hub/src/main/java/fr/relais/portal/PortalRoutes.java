package fr.relais.portal;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web portal for patients and professionals: one page at {@code /} (where the emails invite people to log
 * in), at {@code /activate} (the activation emails' link) and at {@code /oauth/authorize} (where catalogue apps send
 * patients to consent), its scripts, styles, icons and web app manifest under {@code /app/}, and its service worker at
 * {@code /sw.js}, from the {@code web/} folder of the class path. The page
 * works only through the public API and the live socket, with the same rights as any other client.
 */
public final class PortalRoutes {
    private static final String ROOT = "web";

    private PortalRoutes() {
    }

    public static void mount(Router router) {
        router.get("/").handler(PortalRoutes::page);
        router.get("/oauth/authorize").handler(PortalRoutes::page); // the consent page catalogue apps send patients to
        router.get("/activate").handler(PortalRoutes::page); // the activation emails' link: choose a password, or oppose
        // the service worker controls the whole portal, so it is served from the root (its scope is where it lives)
        router.get("/sw.js").handler(rc -> rc.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").sendFile(ROOT + "/sw.js"));
        router.get("/app/manifest.webmanifest").handler(rc -> rc.response()
                .putHeader("Content-Type", "application/manifest+json; charset=utf-8").putHeader("Cache-Control", "no-cache")
                .sendFile(ROOT + "/manifest.webmanifest"));
        router.get("/app/*").handler(StaticHandler.create(ROOT)
                .setDefaultContentEncoding("UTF-8")
                .setMaxAgeSeconds(300)
                .setDirectoryListing(false));
    }

    private static void page(io.vertx.ext.web.RoutingContext rc) {
        rc.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-cache")
                .sendFile(ROOT + "/index.html");
    }
}
