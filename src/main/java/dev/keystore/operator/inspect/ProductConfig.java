package dev.keystore.operator.inspect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The roles a product's configuration gives the stores it names: WSO2's {@code deployment.toml}
 * ({@code [keystore.primary]}, {@code [keystore.tls]}, {@code [keystore.internal]}, {@code [truststore]}
 * {@code file_name}), Zowe's {@code zowe-certificates.env} ({@code KEYSTORE}, {@code TRUSTSTORE}, and the
 * {@code JWT_KEYSTORE} the operator writes) and Liberty's {@code server.xml} ({@code <keyStore location>}:
 * a truststore when an {@code <ssl trustStoreRef>} or its id says so, else a TLS keystore).
 *
 * @param source where the configuration was read, as shown to the user
 * @param roles by the file name (last path segment) of each store it names
 */
record ProductConfig(String source, Map<String, Set<Role>> roles) {
    static final String WSO2 = "deployment.toml";
    static final String ZOWE = "zowe-certificates.env";
    static final String LIBERTY = "server.xml";
    static final Set<String> NAMES = Set.of(WSO2, ZOWE, LIBERTY);

    /** Why a configuration cannot be read, in one line. */
    static final class Unreadable extends Exception {
        Unreadable(String why) {
            super(why);
        }
    }

    ProductConfig {
        Map<String, Set<Role>> copy = new LinkedHashMap<>();
        roles.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        roles = Map.copyOf(copy);
    }

    static boolean isConfig(String fileName) {
        return NAMES.contains(fileName);
    }

    /** The configuration in {@code bytes}, read as the product its file name belongs to. */
    static ProductConfig read(String source, String fileName, byte[] bytes) throws Unreadable {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Map<String, Set<Role>> roles = switch (fileName) {
            case WSO2 -> wso2(text);
            case ZOWE -> zowe(text);
            case LIBERTY -> liberty(bytes);
            default -> throw new Unreadable("is not a product configuration");
        };
        return new ProductConfig(source, roles);
    }

    Optional<Set<Role>> rolesOf(String fileName) {
        return Optional.ofNullable(roles.get(fileName));
    }

    private static void add(Map<String, Set<Role>> roles, String path, Role role) {
        if (path == null || path.isBlank()) {
            return;
        }
        String name = path.strip().replaceAll("^.*[/\\\\]", "");
        roles.computeIfAbsent(name, k -> EnumSet.noneOf(Role.class)).add(role);
    }

    private static Map<String, Set<Role>> wso2(String text) throws Unreadable {
        TomlParseResult toml;
        try {
            toml = Toml.parse(text);
        } catch (RuntimeException e) {
            // tomlj reports most errors in the result, but some (an invalid escape in a key) it throws
            throw new Unreadable("is not valid TOML (" + e.getMessage() + ")");
        }
        if (toml.hasErrors()) {
            throw new Unreadable("is not valid TOML (" + toml.errors().get(0).toString() + ")");
        }
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        Map<String, Role> tables = new LinkedHashMap<>();
        tables.put("keystore.primary", Role.PRIMARY);
        tables.put("keystore.tls", Role.TLS);
        tables.put("keystore.internal", Role.INTERNAL);
        tables.put("truststore", Role.TRUSTSTORE);
        for (var table : tables.entrySet()) {
            Object fileName = toml.get(table.getKey() + ".file_name");
            if (fileName instanceof String name) {
                add(roles, name, table.getValue());
            }
        }
        return roles;
    }

    private static Map<String, Set<Role>> zowe(String text) {
        Map<String, Role> variables = Map.of("KEYSTORE", Role.TLS, "KEYSTORE_CERTIFICATE", Role.TLS, "KEYSTORE_KEY",
            Role.TLS, "TRUSTSTORE", Role.TRUSTSTORE, "KEYSTORE_CERTIFICATE_AUTHORITY", Role.TRUSTSTORE, "JWT_KEYSTORE",
            Role.PRIMARY);
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) {
                continue;
            }
            Role role = variables.get(line.substring(0, eq));
            if (role != null) {
                add(roles, unquoted(line.substring(eq + 1).strip()), role);
            }
        }
        return roles;
    }

    /** A shell word as env files write it: 'single', "double" or bare. */
    private static String unquoted(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
            || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Map<String, Set<Role>> liberty(byte[] bytes) throws Unreadable {
        org.w3c.dom.Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // no DTD, no external entity or schema: a server.xml from anywhere may be inspected
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            }); // fatal errors throw; nothing is printed
            doc = builder.parse(new ByteArrayInputStream(bytes));
        } catch (ParserConfigurationException | IOException e) {
            throw new Unreadable("cannot be parsed (" + e.getMessage() + ")");
        } catch (SAXException e) {
            throw new Unreadable("is not XML Liberty reads (" + e.getMessage() + ")");
        }
        Map<String, String> locations = new LinkedHashMap<>();
        NodeList keyStores = doc.getElementsByTagName("keyStore");
        for (int i = 0; i < keyStores.getLength(); i++) {
            Element k = (Element) keyStores.item(i);
            if (!k.getAttribute("location").isBlank()) {
                locations.put(k.getAttribute("id"), k.getAttribute("location"));
            }
        }
        Map<String, Role> byId = new HashMap<>();
        NodeList ssl = doc.getElementsByTagName("ssl");
        for (int i = 0; i < ssl.getLength(); i++) {
            Element s = (Element) ssl.item(i);
            if (!s.getAttribute("keyStoreRef").isBlank()) {
                byId.putIfAbsent(s.getAttribute("keyStoreRef"), Role.TLS);
            }
            if (!s.getAttribute("trustStoreRef").isBlank()) {
                byId.putIfAbsent(s.getAttribute("trustStoreRef"), Role.TRUSTSTORE);
            }
        }
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        locations.forEach((id, location) -> add(roles, location, byId.getOrDefault(id,
            id.toLowerCase(java.util.Locale.ROOT).contains("trust") ? Role.TRUSTSTORE : Role.TLS)));
        return roles;
    }
}
