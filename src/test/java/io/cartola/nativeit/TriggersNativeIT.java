package io.cartola.nativeit;

import io.cartola.fetch.TriggersTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The trigger documents, exactly as AWS sends them, against the native executable. */
@QuarkusIntegrationTest
@TestProfile(TriggersTest.OwnAccounts.class)
class TriggersNativeIT extends TriggersTest {
}
