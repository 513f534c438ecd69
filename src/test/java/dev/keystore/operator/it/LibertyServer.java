package dev.keystore.operator.it;

/** The product's own Liberty server.xml in the tests: one HTTPS endpoint on loopback and the operator's snippet included. */
final class LibertyServer {
    private LibertyServer() {
    }

    static String serverXml(int httpsPort, String includeLocation) {
        return """
            <server>
                <featureManager>
                    <feature>servlet-6.0</feature>
                    <feature>transportSecurity-1.0</feature>
                </featureManager>
                <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="-1" httpsPort="%d"/>
                <include location="%s"/>
            </server>
            """.formatted(httpsPort, includeLocation);
    }
}
