package io.cartola.nativeit;

import io.cartola.credentials.ClientCredentialsTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** Quarkus' OIDC client in the native executable: the client-credentials token obtained, cached and renewed. */
@QuarkusIntegrationTest
@TestProfile(ClientCredentialsTest.Profile.class)
class ClientCredentialsNativeIT extends ClientCredentialsTest {
}
