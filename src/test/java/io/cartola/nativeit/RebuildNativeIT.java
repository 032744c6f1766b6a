package io.cartola.nativeit;

import io.cartola.function.RebuildFunctionTest;
import io.cartola.testing.RebuildProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The rebuild tests against the native executable (QUARKUS_FUNQY_EXPORT=rebuild). */
@QuarkusIntegrationTest
@TestProfile(RebuildProfile.class)
class RebuildNativeIT extends RebuildFunctionTest {
}
