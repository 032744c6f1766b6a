package io.cartola.nativeit;

import io.cartola.credentials.AccountTokensFetchTest;
import io.cartola.testing.FetchProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** Accounts' own tokens and their rejection, natively; the logs scanned are the executable's (target/quarkus.log). */
@QuarkusIntegrationTest
@TestProfile(FetchProfile.class)
class AccountTokensNativeIT extends AccountTokensFetchTest {
}
