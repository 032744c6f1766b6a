package io.cartola.nativeit;

import io.cartola.function.CredentialsFunctionTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The credentials function against the native executable (QUARKUS_FUNQY_EXPORT=credentials). */
@QuarkusIntegrationTest
@TestProfile(CredentialsFunctionTest.Profile.class)
class CredentialsNativeIT extends CredentialsFunctionTest {
}
