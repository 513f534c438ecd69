package dev.keystore.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.keystore.operator.api.v1alpha1.ClientAuthentication;
import dev.keystore.operator.api.v1alpha1.VerifyCertificates;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.SlotName;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Hostile values (issue 18) through every snippet writer, at every place a user value goes, parsed
 * back by a real parser: tomlj for deployment.toml, bash ({@code bash -n}, then sourcing in an
 * empty environment) for zowe-certificates.env, the JDK's XML parser for server.xml. The parsed
 * document must be exactly the expected one, built here from the inputs (same keys, tables,
 * variables, elements and attributes, nothing more), or the writer must have refused the value
 * naming its field, where the corpus says the format cannot hold it.
 */
class HostileSnippetValuesTest {
    enum Format { TOML, SHELL, XML }

    /**
     * A hostile value and the writers that must refuse it, naming the field: where the format cannot
     * hold it (NUL in a shell variable, most C0 controls in XML, half a surrogate pair anywhere), or
     * where the product would reinterpret it (Liberty's {@code ${...}}; WSO2's placeholders, and
     * {@code <}, {@code &} and non-XML characters, which WSO2 copies unescaped into its XML files).
     */
    record Hostile(String label, String value, Set<Format> refusedBy) {
        Hostile(String label, String value, Format... refusedBy) {
            this(label, value, refusedBy.length == 0 ? EnumSet.noneOf(Format.class) : EnumSet.of(refusedBy[0], refusedBy));
        }
    }

    static final String CANARY = "CANARY";
    static final String LONG;

    static {
        StringBuilder b = new StringBuilder();
        while (b.length() < 100_000) {
            b.append("a'\"\\\n$(/usr/bin/touch CANARY)`x`;--> ]]>\u2028\t");
        }
        LONG = b.toString();
    }

    static final List<Hostile> CORPUS = List.of(
        new Hostile("newline", "a\nb"),
        new Hostile("carriage return", "a\rb"),
        new Hostile("CRLF", "a\r\nb"),
        new Hostile("leading and trailing newline", "\nab\n"),
        new Hostile("double quote", "a\"b"),
        new Hostile("single quote", "a'b"),
        new Hostile("quotes of each kind", "'\"`'\"`"),
        new Hostile("backslash", "a\\b"),
        new Hostile("trailing backslash", "ab\\"),
        new Hostile("backslash quote", "\\\"\\'"),
        new Hostile("literal TOML escapes", "\\u0000\\n\\t\\U0001F511"),
        new Hostile("command substitution", "$(/usr/bin/touch CANARY)"),
        new Hostile("backticks", "`/usr/bin/touch CANARY`"),
        new Hostile("semicolon", "x; /usr/bin/touch CANARY"),
        new Hostile("newline command", "x\n/usr/bin/touch CANARY\n"),
        new Hostile("quote break-out", "'; /usr/bin/touch CANARY; '"),
        new Hostile("double quote break-out", "\"; /usr/bin/touch CANARY; \""),
        new Hostile("and-list, pipe, redirect", "x && touch CANARY | cat > CANARY", Format.TOML),
        new Hostile("or-list, pipe, append", "x || /usr/bin/touch CANARY | cat >> CANARY"),
        new Hostile("shell rm", "\nrm -rf /"),
        new Hostile("variable", "$HOME$PATH$0$$"),
        new Hostile("braced variable", "${PATH}", Format.TOML, Format.XML),
        new Hostile("exported assignment", "x\nexport INJECTED=1\nKEYSTORE_PASSWORD=stolen"),
        new Hostile("globs, tilde, hash", "* ? [a] ~root #x"),
        new Hostile("history and equals", "!! a=b %s"),
        new Hostile("spaces", " a b "),
        new Hostile("empty", ""),
        new Hostile("TOML table header", "\n[admin]\nuser = \"root\""),
        new Hostile("TOML array table", "\n[[keystore.tls]]\nalias = \"x\""),
        new Hostile("TOML value break-out", "x\"\nadmin = true # "),
        new Hostile("TOML dotted key", "\"\nkeystore.tls.alias = \"evil"),
        new Hostile("WSO2 env placeholder", "$env{KEYSTORE_PASSWORD}", Format.TOML),
        new Hostile("WSO2 sys placeholder", "x$sys{user.home}", Format.TOML),
        new Hostile("Liberty variable", "${env.KEYSTORE_PASSWORD}", Format.TOML, Format.XML),
        new Hostile("double dash", "a--b"),
        new Hostile("comment end", "x-->y"),
        new Hostile("trailing dash", "x-"),
        new Hostile("comment start", "<!-- x", Format.TOML),
        new Hostile("CDATA end", "]]>"),
        new Hostile("ampersand", "a&b&amp;&#0;&#x1;", Format.TOML),
        new Hostile("less than, greater than", "a<b>c", Format.TOML),
        new Hostile("element injection", "</server><evil/>", Format.TOML),
        new Hostile("attribute break-out", "\"/><evil a=\"1", Format.TOML),
        new Hostile("apostrophe break-out", "'/><evil a='1", Format.TOML),
        new Hostile("doctype", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;", Format.TOML),
        new Hostile("processing instruction", "<?xml version=\"1.0\"?>", Format.TOML),
        new Hostile("NUL", "a\u0000b", Format.TOML, Format.SHELL, Format.XML),
        new Hostile("SOH", "a\u0001b", Format.TOML, Format.XML),
        new Hostile("BEL, BS", "\u0007\u0008", Format.TOML, Format.XML),
        new Hostile("tab", "a\tb"),
        new Hostile("vertical tab, form feed", "a\u000B\u000Cb", Format.TOML, Format.XML),
        new Hostile("escape sequence", "\u001B[2J\u001B]0;x\u0007", Format.TOML, Format.XML),
        new Hostile("unit separator", "\u001F", Format.TOML, Format.XML),
        new Hostile("DEL", "a\u007Fb"),
        new Hostile("C1 NEL and CSI", "a\u0085\u009Bb"),
        new Hostile("line separator", "a\u2028b"),
        new Hostile("paragraph separator", "a\u2029b"),
        new Hostile("bidi override, BOM, zero width", "\u202Eab\uFEFF\u200B"),
        new Hostile("non-characters", "\uFFFE\uFFFF", Format.TOML, Format.XML),
        new Hostile("lone high surrogate", "a\uD800b", Format.TOML, Format.SHELL, Format.XML),
        new Hostile("lone low surrogate", "\uDC00", Format.TOML, Format.SHELL, Format.XML),
        new Hostile("supplementary characters", "\uD83D\uDD11 \uDB40\uDC01"),
        new Hostile("non-ASCII letters", "é日本＂＇"),
        new Hostile("very long", LONG),
        new Hostile("very long with markup", LONG + "</server>&amp;", Format.TOML));

    /** Every place a user value goes, and the formats in which it is a value (elsewhere: only in a comment). */
    enum Point {
        SET_NAME, SECRET_NAME,
        MOUNT_PATH(Format.SHELL, Format.XML),
        TLS_ALIAS(Format.TOML, Format.SHELL, Format.XML),
        PRIMARY_ALIAS(Format.TOML, Format.SHELL),
        INTERNAL_ALIAS(Format.TOML),
        TLS_FILE(Format.TOML, Format.SHELL, Format.XML),
        PRIMARY_FILE(Format.TOML, Format.SHELL),
        TRUST_FILE(Format.TOML, Format.SHELL, Format.XML),
        TLS_TYPE(Format.TOML, Format.SHELL, Format.XML);

        final Set<Format> valueIn;

        Point(Format... valueIn) {
            this.valueIn = valueIn.length == 0 ? EnumSet.noneOf(Format.class) : EnumSet.of(valueIn[0], valueIn);
        }

        String field() {
            return switch (this) {
                case SET_NAME -> "metadata.name";
                case SECRET_NAME -> "spec.secretName";
                case MOUNT_PATH -> "spec.mountPath";
                case TLS_ALIAS -> "spec.tls.alias";
                case PRIMARY_ALIAS -> "spec.primary.alias";
                case INTERNAL_ALIAS -> "spec.internal.alias";
                case TLS_FILE -> "spec.tls.fileName";
                case PRIMARY_FILE -> "spec.primary.fileName";
                case TRUST_FILE -> "spec.truststore.fileName";
                case TLS_TYPE -> "spec.format";
            };
        }
    }

    record Case(Hostile hostile, Point point, MountedSecret mounted) {
        boolean refused(Format format) {
            return point.valueIn.contains(format) && hostile.refusedBy().contains(format);
        }

        @Override
        public String toString() {
            return "'" + hostile.label() + "' in " + point.field();
        }
    }

    static MountedSecret ordinary(Map<Point, String> v, ClientAuthentication clientAuth) {
        Map<SlotName, MountedSecret.Store> keystores = new EnumMap<>(SlotName.class);
        keystores.put(SlotName.PRIMARY, new MountedSecret.Store("spec.primary", v.getOrDefault(Point.PRIMARY_FILE, "wso2carbon.jks"),
            "JKS", v.getOrDefault(Point.PRIMARY_ALIAS, "wso2carbon")));
        keystores.put(SlotName.TLS, new MountedSecret.Store("spec.tls", v.getOrDefault(Point.TLS_FILE, "tls_keystore.jks"),
            v.getOrDefault(Point.TLS_TYPE, "JKS"), v.getOrDefault(Point.TLS_ALIAS, "wso2carbon")));
        keystores.put(SlotName.INTERNAL, new MountedSecret.Store("spec.internal", "internal_keystore.jks", "JKS",
            v.getOrDefault(Point.INTERNAL_ALIAS, "wso2carbon")));
        return new MountedSecret(v.getOrDefault(Point.SET_NAME, "apim"), v.getOrDefault(Point.SECRET_NAME, "apim-keystores"),
            v.getOrDefault(Point.MOUNT_PATH, "/etc/keystores"), keystores,
            new MountedSecret.Store("spec.truststore", v.getOrDefault(Point.TRUST_FILE, "client-truststore.jks"), "JKS", null),
            VerifyCertificates.NonStrict, clientAuth);
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Hostile hostile : CORPUS) {
            for (Point point : Point.values()) {
                cases.add(new Case(hostile, point, ordinary(Map.of(point, hostile.value()), ClientAuthentication.Required)));
            }
        }
        return cases;
    }

    /** The writer refused: InvalidSpec, the field first, the snippet named, the value not repeated. */
    static void assertRefusal(Case c, String file, Problem.Raised e) {
        Problem p = e.problem();
        assertEquals(Problem.INVALID_SPEC, p.reason(), c.toString());
        assertTrue(p.message().startsWith(c.point.field() + ": cannot be written into " + file + ": "), c + ": " + p.message());
        assertTrue(p.message().codePoints().allMatch(cp -> cp >= 0x20 && cp < 0x7F), c + ": message must be plain ASCII: "
            + p.message());
        if (c.hostile.value().length() > 3) {
            assertFalse(p.message().contains(c.hostile.value()), c + ": the value is not repeated");
        }
    }

    static void report(String writer, List<Case> cases, int refused) {
        System.out.printf("%s: %d hostile values x %d places = %d cases, %d refused, %d parsed back exactly%n", writer,
            CORPUS.size(), Point.values().length, cases.size(), refused, cases.size() - refused);
    }

    // ---------------------------------------------------------------- deployment.toml

    static Map<List<String>, Object> expectedToml(MountedSecret m) {
        Map<List<String>, Object> expected = new LinkedHashMap<>();
        String pw = "$env{KEYSTORE_PASSWORD}";
        m.keystores().forEach((slot, s) -> {
            List<String> t = List.of("keystore", slot.key());
            expected.put(path(t, "file_name"), s.fileName());
            expected.put(path(t, "type"), s.type());
            expected.put(path(t, "password"), pw);
            expected.put(path(t, "alias"), s.alias());
            expected.put(path(t, "key_password"), pw);
        });
        expected.put(List.of("truststore", "file_name"), m.truststore().fileName());
        expected.put(List.of("truststore", "type"), m.truststore().type());
        expected.put(List.of("truststore", "password"), pw);
        return expected;
    }

    static List<String> path(List<String> table, String key) {
        List<String> p = new ArrayList<>(table);
        p.add(key);
        return p;
    }

    /** Every leaf of the document by its key path; any array at all is kept as one (none is expected). */
    static Map<List<String>, Object> flatten(TomlTable table, List<String> prefix, Map<List<String>, Object> into) {
        for (String key : table.keySet()) {
            Object value = table.get(List.of(key));
            List<String> p = path(prefix, key);
            if (value instanceof TomlTable nested) {
                flatten(nested, p, into);
            } else {
                into.put(p, value instanceof org.tomlj.TomlArray a ? "array " + a.toList() : value);
            }
        }
        return into;
    }

    @Test
    void deploymentTomlParsesBackToExactlyTheInputs() {
        List<Case> cases = cases();
        int refused = 0;
        for (Case c : cases) {
            String text;
            try {
                text = Wso2DeploymentToml.write(c.mounted);
            } catch (Problem.Raised e) {
                assertTrue(c.refused(Format.TOML), c + " must be written, was refused: " + e.problem().message());
                assertRefusal(c, "deployment.toml", e);
                refused++;
                continue;
            }
            assertFalse(c.refused(Format.TOML), c + " must be refused");
            TomlParseResult toml = Toml.parse(text);
            assertFalse(toml.hasErrors(), () -> c + ": " + toml.errors() + "\n" + text);
            assertEquals(expectedToml(c.mounted), flatten(toml, List.of(), new LinkedHashMap<>()), c.toString());
            assertEquals(List.of("keystore", "truststore"), List.copyOf(toml.keySet()), c.toString());
        }
        report("deployment.toml", cases, refused);
        assertEquals(expectedRefusals(Format.TOML), refused);
    }

    /** The TOML format itself holds every value but half a surrogate pair: each is one string, nothing more. */
    @Test
    void tomlBasicStringsHoldEveryValue() throws Exception {
        int held = 0;
        for (Hostile h : CORPUS) {
            String string;
            try {
                string = Wso2DeploymentToml.string("f", h.value());
            } catch (Problem.Raised e) {
                assertTrue(h.label().startsWith("lone"), h.label() + ": " + e.problem().message());
                continue;
            }
            TomlParseResult toml = Toml.parse("# before\nk = " + string + "\n# after\n");
            assertFalse(toml.hasErrors(), () -> h.label() + ": " + toml.errors());
            assertEquals(Map.of(List.of("k"), h.value()), flatten(toml, List.of(), new LinkedHashMap<>()), h.label());
            held++;
        }
        assertEquals(CORPUS.size() - 2, held);
    }

    /** The detector works: the same hostile header, written raw into a comment, does add a table. */
    @Test
    void tomlParseWouldSeeAnInjectedTable() {
        TomlParseResult raw = Toml.parse("# Mount at \n[admin]\nuser = \"root\"\n\n[truststore]\ntype = \"JKS\"\n");
        assertFalse(raw.hasErrors());
        assertNotNull(raw.getTable("admin"));
    }

    static int expectedRefusals(Format format) {
        int n = 0;
        for (Hostile h : CORPUS) {
            for (Point p : Point.values()) {
                n += p.valueIn.contains(format) && h.refusedBy().contains(format) ? 1 : 0;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- zowe-certificates.env

    /** The variables api.md names, from the inputs. */
    static Map<String, String> expectedEnv(MountedSecret m) {
        MountedSecret.Store tls = m.keystores().get(SlotName.TLS);
        MountedSecret.Store primary = m.keystores().get(SlotName.PRIMARY);
        String dir = m.mountPath();
        Map<String, String> env = new TreeMap<>();
        env.put("KEYSTORE_DIRECTORY", dir);
        env.put("KEYSTORE", dir + "/" + tls.fileName());
        env.put("KEYSTORE_TYPE", tls.type());
        env.put("KEY_ALIAS", tls.alias());
        env.put("TRUSTSTORE", dir + "/" + m.truststore().fileName());
        env.put("KEYSTORE_CERTIFICATE", dir + "/tls.crt");
        env.put("KEYSTORE_KEY", dir + "/tls.key");
        env.put("KEYSTORE_CERTIFICATE_AUTHORITY", dir + "/ca.crt");
        env.put("JWT_KEYSTORE", dir + "/" + primary.fileName());
        env.put("JWT_ALIAS", primary.alias());
        env.put("VERIFY_CERTIFICATES", "false");
        env.put("NONSTRICT_VERIFY_CERTIFICATES", "true");
        return env;
    }

    record Sourced(int syntaxExit, String syntaxErr, int exit, Map<String, String> env, String err) {
    }

    /**
     * {@code bash -n FILE}, then {@code env -i bash -c 'set -a; . ./FILE; env -0'} in {@code work}
     * (NUL-separated, so that values holding newlines are read exactly), for many files in one
     * process: one bash per file, not one JVM fork.
     */
    static List<Sourced> source(Path work, List<String> files) throws Exception {
        Path dir = Files.createDirectories(work.resolve("env"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Files.write(dir.resolve(i + ".env"), files.get(i).getBytes(StandardCharsets.UTF_8)); // as Snippets.files encodes
            names.add(i + ".env");
        }
        Path driver = work.resolve("driver.sh");
        Files.writeString(driver, """
            bash=$(command -v bash); env=$(command -v env)
            cd "$1"; shift
            for f in "$@"; do
              "$bash" -n "./$f" 2>"$f.syntax-err"; echo $? >"$f.syntax"
              "$env" -i "$bash" -c 'set -a; . "./$1"; '"$env"' -0' _ "$f" >"$f.out" 2>"$f.err"; echo $? >"$f.rc"
            done
            """);
        List<String> command = new ArrayList<>(List.of("bash", driver.toString(), dir.toString()));
        command.addAll(names);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<Sourced> results = new ArrayList<>();
        for (String f : names) {
            Map<String, String> env = new TreeMap<>();
            String all = text(dir.resolve(f + ".out"));
            for (String entry : all.split("\0")) {
                if (!entry.isEmpty()) {
                    int eq = entry.indexOf('=');
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            results.add(new Sourced(Integer.parseInt(text(dir.resolve(f + ".syntax")).strip()),
                text(dir.resolve(f + ".syntax-err")), Integer.parseInt(text(dir.resolve(f + ".rc")).strip()), env,
                text(dir.resolve(f + ".err"))));
        }
        return results;
    }

    /** Whatever bash wrote, decoded leniently: a broken writer must fail an assertion, not the decoder. */
    static String text(Path file) throws java.io.IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    @Test
    void zoweEnvSourcedInAnEmptyEnvironmentSetsExactlyTheInputs(@TempDir Path work) throws Exception {
        List<Case> cases = cases();
        List<Case> written = new ArrayList<>();
        List<String> files = new ArrayList<>(List.of(""));   // first: the empty file, for bash's own variables
        int refused = 0;
        for (Case c : cases) {
            try {
                files.add(ZoweCertificatesEnv.write(c.mounted));
                assertFalse(c.refused(Format.SHELL), c + " must be refused");
                written.add(c);
            } catch (Problem.Raised e) {
                assertTrue(c.refused(Format.SHELL), c + " must be written, was refused: " + e.problem().message());
                assertRefusal(c, "zowe-certificates.env", e);
                refused++;
            }
        }
        List<Sourced> results = source(work, files);
        Sourced baseline = results.get(0);
        assertEquals(0, baseline.exit(), baseline.err());
        assertTrue(baseline.env().keySet().stream().noneMatch(k -> k.contains("KEYSTORE")), baseline.env().toString());
        for (int i = 0; i < written.size(); i++) {
            Case c = written.get(i);
            Sourced r = results.get(i + 1);
            assertEquals(0, r.syntaxExit(), () -> c + ": bash -n: " + r.syntaxErr());
            assertEquals(0, r.exit(), () -> c + ": sourcing failed: " + r.err());
            assertEquals("", r.err(), c + ": sourcing printed to stderr (something ran)");
            Map<String, String> expected = new TreeMap<>(baseline.env());
            expected.putAll(expectedEnv(c.mounted));
            assertEquals(expected, r.env(), c.toString());
        }
        assertFalse(Files.exists(work.resolve("env").resolve(CANARY)), "a hostile value ran a command when sourced");
        report("zowe-certificates.env", cases, refused);
        assertEquals(expectedRefusals(Format.SHELL), refused);
    }

    /** The detectors work: a raw substitution does run, and a raw newline does add a variable. */
    @Test
    void sourcingWouldCatchACommandAndAnInjectedVariable(@TempDir Path work) throws Exception {
        List<Sourced> r = source(work, List.of("", "KEY_ALIAS=$(/usr/bin/touch CANARY)\n# at x\nINJECTED=1\n"));
        assertTrue(Files.exists(work.resolve("env").resolve(CANARY)), "the canary detects a command");
        assertEquals("1", r.get(1).env().get("INJECTED"));
        assertFalse(r.get(0).env().containsKey("INJECTED"));
    }

    // ---------------------------------------------------------------- server.xml

    record Xml(String name, Map<String, String> attributes) {
    }

    static List<Xml> expectedXml(MountedSecret m, ClientAuthentication clientAuth) {
        MountedSecret.Store tls = m.keystores().get(SlotName.TLS);
        String pw = "${env.KEYSTORE_PASSWORD}";
        Map<String, String> ssl = new TreeMap<>(Map.of("id", "defaultSSLConfig", "keyStoreRef", "defaultKeyStore",
            "trustStoreRef", "defaultTrustStore", "serverKeyAlias", tls.alias(), "sslProtocol", "TLSv1.2,TLSv1.3"));
        if (clientAuth == ClientAuthentication.Required) {
            ssl.put("clientAuthentication", "true");
        } else if (clientAuth == ClientAuthentication.Supported) {
            ssl.put("clientAuthenticationSupported", "true");
        }
        return List.of(
            new Xml("keyStore", new TreeMap<>(Map.of("id", "defaultKeyStore", "location", m.mountPath() + "/" + tls.fileName(),
                "type", tls.type(), "password", pw, "readOnly", "true"))),
            new Xml("keyStore", new TreeMap<>(Map.of("id", "defaultTrustStore",
                "location", m.mountPath() + "/" + m.truststore().fileName(), "type", m.truststore().type(), "password", pw,
                "readOnly", "true"))),
            new Xml("ssl", ssl),
            new Xml("sslDefault", new TreeMap<>(Map.of("sslRef", "defaultSSLConfig"))));
    }

    static Document parseXml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        var builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                throw e;
            }
        });
        return builder.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The document as elements and attributes; fails on anything else (text, PIs, a second comment). */
    static List<Xml> structure(Document doc, String context) {
        List<Node> top = new ArrayList<>();
        for (Node n = doc.getFirstChild(); n != null; n = n.getNextSibling()) {
            top.add(n);
        }
        assertEquals(2, top.size(), context + ": the document holds one comment and one element");
        assertEquals(Node.COMMENT_NODE, top.get(0).getNodeType(), context);
        Element server = doc.getDocumentElement();
        assertEquals("server", server.getTagName(), context);
        assertEquals(0, server.getAttributes().getLength(), context);
        List<Xml> elements = new ArrayList<>();
        for (Node n = server.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE) {
                assertTrue(n.getNodeValue().isBlank(), context + ": text in <server>: " + n.getNodeValue());
                continue;
            }
            assertEquals(Node.ELEMENT_NODE, n.getNodeType(), context + ": unexpected node " + n);
            assertFalse(n.hasChildNodes(), context + ": " + n.getNodeName() + " has children");
            Map<String, String> attributes = new TreeMap<>();
            NamedNodeMap map = n.getAttributes();
            for (int i = 0; i < map.getLength(); i++) {
                Attr a = (Attr) map.item(i);
                attributes.put(a.getName(), a.getValue());
            }
            elements.add(new Xml(n.getNodeName(), attributes));
        }
        return elements;
    }

    @Test
    void serverXmlParsesBackToExactlyTheInputs() throws Exception {
        List<Case> cases = cases();
        int refused = 0;
        for (Case c : cases) {
            String text;
            try {
                text = LibertyServerXml.write(c.mounted);
            } catch (Problem.Raised e) {
                assertTrue(c.refused(Format.XML), c + " must be written, was refused: " + e.problem().message());
                assertRefusal(c, "server.xml", e);
                refused++;
                continue;
            }
            assertFalse(c.refused(Format.XML), c + " must be refused");
            Document doc;
            try {
                doc = parseXml(text);
            } catch (org.xml.sax.SAXException e) {
                fail(c + ": not well-formed: " + e.getMessage() + "\n" + text);
                return;
            }
            assertEquals(expectedXml(c.mounted, ClientAuthentication.Required), structure(doc, c.toString()), c.toString());
        }
        report("server.xml", cases, refused);
        assertEquals(expectedRefusals(Format.XML), refused);
    }

    @Test
    void serverXmlClientAuthenticationVariants() throws Exception {
        for (ClientAuthentication auth : ClientAuthentication.values()) {
            MountedSecret m = ordinary(Map.of(Point.TLS_ALIAS, "a\"'<&\n\t\r"), auth);
            assertEquals(expectedXml(m, auth), structure(parseXml(LibertyServerXml.write(m)), auth.name()), auth.name());
        }
    }

    /** The detector works: a raw {@code --} in the comment is not well-formed XML. */
    @Test
    void xmlParseWouldRefuseADoubleDashInTheComment() {
        String raw = "<?xml version=\"1.0\"?>\n<!-- Mount at /a--b -->\n<server/>\n";
        org.junit.jupiter.api.Assertions.assertThrows(org.xml.sax.SAXParseException.class, () -> parseXml(raw));
    }
}
