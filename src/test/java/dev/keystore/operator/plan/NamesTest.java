package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names as the API server checks them, and the label-value limit on a set's name. */
class NamesTest {
    @Test
    void aSetNameMustFitALabelValue() throws Exception {
        assertTrue(Names.setNameProblem("a".repeat(63)).isEmpty());
        Names.checkSetName("apim");
        assertTrue(Names.setNameProblem("a".repeat(64)).orElseThrow().contains("must be no more than 63 characters"));
        assertTrue(Names.objectNameProblem("a".repeat(64)).isEmpty(), "other objects may be longer");
        try {
            Names.checkSetName("a".repeat(64));
            throw new AssertionError("accepted a 64-character set name");
        } catch (Problem.Raised e) {
            assertEquals(Problem.INVALID_SPEC, e.problem().reason());
            assertTrue(e.problem().message().startsWith("metadata.name: Invalid value: \"aaaa"), e.problem().message());
        }
    }

    @Test
    void namesAreDns1123Subdomains() {
        for (String bad : new String[] {"", "../x", "/etc", "a/b", "Apim", "a_b", "-a", "a-", ".a", "a..b", "a".repeat(254)}) {
            assertTrue(Names.objectNameProblem(bad).isPresent(), bad);
            assertFalse(Names.isSubdomain(bad), bad);
        }
        for (String good : new String[] {"a", "apim", "apim-keystores", "a.b.c", "0x", "a".repeat(253)}) {
            assertTrue(Names.objectNameProblem(good).isEmpty(), good);
            assertTrue(Names.isSubdomain(good), good);
        }
        assertTrue(Names.setNameProblem("../x").orElseThrow().startsWith("Invalid value: \"../x\": a lowercase RFC 1123"));
        assertTrue(Names.isLabel("wso2"));
        assertFalse(Names.isLabel("a.b"));
        assertFalse(Names.isLabel("a".repeat(64)));
    }
}
