package io.cartola.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The deployment template: cfn-lint passes, and the security properties hold in what CloudFormation
 * will really get (the template after the SAM transform, which adds the roles and permissions).
 * Needs cfn-lint (Python; installed on the build machines): skipped, saying so, where it is absent.
 */
class SamTemplateTest {

    static final Path TEMPLATE = Path.of("infra", "sam", "template.yaml");
    static JsonNode resources;

    record Run(int exit, String output) {
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return new Run(p.exitValue(), out);
    }

    @BeforeAll
    static void transform() throws Exception {
        Run probe;
        try {
            probe = run("cfn-lint", "--version");
        } catch (IOException absent) {
            probe = new Run(127, absent.getMessage());
        }
        Assumptions.assumeTrue(probe.exit() == 0, "cfn-lint is not installed here (pip install cfn-lint): template checks skipped");
        Run transformed = run("python3", Path.of("src", "test", "resources", "sam-transform.py").toString(), TEMPLATE.toString());
        assertEquals(0, transformed.exit(), transformed.output());
        resources = new ObjectMapper().readTree(transformed.output()).get("Resources");
    }

    static JsonNode resource(String name) {
        JsonNode r = resources.get(name);
        assertNotNull(r, name + " is missing");
        return r.get("Properties");
    }

    /** Every Allow statement of every IAM role's inline policies. */
    static List<JsonNode> allowStatements() {
        List<JsonNode> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : resources.properties()) {
            String type = e.getValue().get("Type").asText();
            if (type.equals("AWS::IAM::Role") || type.equals("AWS::IAM::Policy")) {
                JsonNode policies = type.equals("AWS::IAM::Role") ? e.getValue().at("/Properties/Policies")
                        : new ObjectMapper().createArrayNode().add(e.getValue().get("Properties"));
                for (JsonNode policy : policies) {
                    for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                        // a statement present only under a condition: check what it grants when present
                        statement = statement.has("Fn::If") ? statement.get("Fn::If").get(1) : statement;
                        if (statement.path("Effect").asText().equals("Allow")) {
                            out.add(statement);
                        }
                    }
                }
            }
        }
        return out;
    }

    static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.toString()));
        } else {
            out.add(node.toString());
        }
        return out;
    }

    @Test
    void cfnLintReportsNothingNotEvenInformational() throws Exception {
        // informational checks too: I3011 asks every stateful resource to say what happens to it on deletion
        Run lint = run("cfn-lint", "--include-checks", "I", "--", TEMPLATE.toString());
        assertEquals(0, lint.exit(), lint.output());
        assertEquals("", lint.output().trim());
    }

    @Test
    void theBucketIsEncryptedVersionedPrivateAndOwnerEnforced() {
        JsonNode bucket = resource("ResultsBucket");
        assertEquals("AES256", bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText());
        assertEquals("Enabled", bucket.at("/VersioningConfiguration/Status").asText());
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(bucket.at("/PublicAccessBlockConfiguration/" + setting).asBoolean(), setting);
        }
        assertEquals("BucketOwnerEnforced", bucket.at("/OwnershipControls/Rules/0/ObjectOwnership").asText());
        assertEquals("Retain", resources.at("/ResultsBucket/DeletionPolicy").asText());
    }

    @Test
    void theBucketRefusesRequestsWithoutTls() {
        JsonNode statement = resource("ResultsBucketPolicy").at("/PolicyDocument/Statement/0");
        assertEquals("Deny", statement.get("Effect").asText());
        assertEquals("s3:*", statement.get("Action").asText());
        assertEquals("false", statement.at("/Condition/Bool/aws:SecureTransport").asText());
        assertEquals(2, statement.get("Resource").size(), "the bucket and its objects");
    }

    @Test
    void noS3OrSecretsPermissionUsesAWildcardResource() {
        List<JsonNode> statements = allowStatements();
        assertFalse(statements.isEmpty());
        for (JsonNode statement : statements) {
            String actions = statement.get("Action").toString();
            if (actions.contains("s3:") || actions.contains("secretsmanager:") || actions.contains("lambda:") || actions.contains("sqs:")) {
                for (String resource : values(statement.get("Resource"))) {
                    assertFalse(resource.equals("\"*\"") || resource.contains(":::*") || resource.endsWith(":*\""),
                            "wildcard resource in " + statement);
                }
            }
            assertFalse(actions.contains("s3:*") || actions.contains("secretsmanager:*"), "wildcard action in " + statement);
        }
    }

    @Test
    void theDaysTableIsProjectedByDateOnlySoAQueryOverAllAccountsRuns() {
        JsonNode table = resource("DaysTable").get("TableInput");
        assertEquals("days", table.get("Name").asText());
        assertEquals(1, table.get("PartitionKeys").size());
        assertEquals("date", table.at("/PartitionKeys/0/Name").asText());
        assertFalse(table.get("Parameters").toString().contains("injected"), "no account partition to name in every query");
        assertTrue(table.at("/Parameters/storage.location.template").toString().contains("/days/btgpactual.cl/date=${!date}/"));
        assertEquals("org.apache.hive.hcatalog.data.JsonSerDe", table.at("/StorageDescriptor/SerdeInfo/SerializationLibrary").asText());
        String columns = table.at("/StorageDescriptor/Columns").toString();
        for (String column : List.of("account", "closed", "reconciliation", "gapamount", "gaps", "overnightgapamount", "lost", "failed")) {
            assertTrue(columns.contains("\"" + column + "\""), column);
        }
        assertTrue(resources.at("/FetchWorkerFunctionRole/Properties/Policies").toString().contains("/days/*"));
    }

    @Test
    void eachFunctionReadsOnlyItsSecretsAndWritesOnlyItsPrefixes() {
        String webhook = resources.at("/WebhookFunctionRole/Properties/Policies").toString();
        assertTrue(webhook.contains("CallbackSigningKey"));
        assertFalse(webhook.contains("KhipuCredentials"), "the webhook has no use for Khipu's key");
        String fetch = resources.at("/FetchFunctionRole/Properties/Policies").toString();
        assertTrue(fetch.contains("KhipuCredentials") && fetch.contains("CallbackSigningKey"));
        for (String role : List.of(webhook, fetch)) {
            assertTrue(role.contains("/raw/*") && role.contains("/view/*") && role.contains("/operations/*"));
            assertTrue(role.contains("/days/*"), "the day records are written where the view is merged");
            assertFalse(role.contains("s3:DeleteObject"));
        }
        assertTrue(fetch.contains("/state/*"));
        assertFalse(webhook.contains("/state/*"), "the webhook writes raw and view; fetch takes answers into the state");
    }

    @Test
    void accessTokensAreEncryptedUnderAKeyOnlyFetchersAndTheCredentialsFunctionMayUse() {
        JsonNode encryption = resource("CredentialsBucket").at("/BucketEncryption/ServerSideEncryptionConfiguration/0");
        assertEquals("aws:kms", encryption.at("/ServerSideEncryptionByDefault/SSEAlgorithm").asText());
        assertTrue(encryption.at("/ServerSideEncryptionByDefault/KMSMasterKeyID").toString().contains("CredentialsKey"));
        assertTrue(encryption.get("BucketKeyEnabled").asBoolean());
        assertFalse(resource("CredentialsBucket").has("VersioningConfiguration"), "a revoked token must not linger as a version");
        for (String kept : List.of("CredentialsBucket", "CredentialsKey")) {
            assertEquals("Retain", resources.at("/" + kept + "/DeletionPolicy").asText(), kept);
        }
        String use = "kms:Decrypt|kms:Encrypt|kms:GenerateDataKey|kms:ReEncrypt|kms:\\*";
        for (JsonNode statement : resource("CredentialsKey").at("/KeyPolicy/Statement")) {
            statement = statement.has("Fn::If") ? statement.get("Fn::If").get(1) : statement;
            String principal = statement.get("Principal").toString();
            String actions = statement.get("Action").toString();
            if (principal.contains(":root")) {
                assertFalse(java.util.regex.Pattern.compile(use).matcher(actions).find(), "the account may not read tokens: " + actions);
                // nor give itself use of the key quietly: no grants, and every action named (a wildcard may hide one)
                assertFalse(actions.contains("kms:CreateGrant") || actions.contains("*"), "the account may not grant use: " + actions);
                // changing the policy stays possible (else no update could, and KMS refuses a policy locking its creator out)
                assertTrue(actions.contains("kms:PutKeyPolicy"), actions);
            } else {
                assertTrue(principal.contains("FetchFunctionRole") || principal.contains("FetchWorkerFunctionRole")
                        || principal.contains("CredentialsFunctionRole"), principal);
                assertTrue(statement.at("/Condition/StringEquals/kms:ViaService").toString().contains("s3.${AWS::Region}"),
                        "only through S3: " + statement);
            }
        }
        String webhook = resources.at("/WebhookFunctionRole").toString();
        assertFalse(webhook.contains("CredentialsBucket") || webhook.contains("CredentialsKey"), "the public webhook never sees tokens");
        for (JsonNode r : resources) {
            if (r.get("Type").asText().equals("AWS::IAM::Policy") && r.toString().contains("CredentialsBucket")) {
                assertFalse(r.at("/Properties/Roles").toString().contains("WebhookFunctionRole"));
            }
        }
        assertTrue(resource("FetchReadsTokensPolicy").toString().contains("s3:GetObject"));
        assertFalse(resource("FetchReadsTokensPolicy").toString().contains("s3:PutObject"), "fetch only reads tokens");
        assertEquals("credentials", resource("CredentialsFunction").at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText());
        for (JsonNode r : resources) {
            if (r.get("Type").asText().equals("AWS::Lambda::Url")) {
                assertFalse(r.toString().contains("CredentialsFunction"), "the credentials function has no URL");
            }
        }
        assertTrue(resource("AccountsUnauthorisedAlarm").toString().contains("AccountsUnauthorised"));
    }

    @Test
    void scaledOutTheWorkerReportsItsFailuresWithinBoundedConcurrencyAndNothingIsDropped() {
        JsonNode mapping = null;
        for (JsonNode r : resources) {
            if (r.get("Type").asText().equals("AWS::Lambda::EventSourceMapping")) {
                mapping = r;
            }
        }
        assertNotNull(mapping, "the worker's event source mapping");
        assertEquals("Scaled", mapping.get("Condition").asText());
        JsonNode esm = mapping.get("Properties");
        assertTrue(esm.get("FunctionName").toString().contains("FetchWorkerFunction"));
        assertTrue(esm.get("FunctionResponseTypes").toString().contains("ReportBatchItemFailures"));
        assertTrue(esm.at("/ScalingConfig/MaximumConcurrency").toString().contains("WorkerMaximumConcurrency"));
        JsonNode queue = resource("WorkQueue");
        assertTrue(queue.at("/RedrivePolicy/deadLetterTargetArn").toString().contains("WorkDeadLetterQueue"));
        assertTrue(queue.get("SqsManagedSseEnabled").asBoolean());
        assertTrue(queue.get("VisibilityTimeout").toString().contains("WorkerTimeouts"));
        assertEquals("Retain", resources.at("/WorkDeadLetterQueue/DeletionPolicy").asText());
        assertEquals("fetch-worker", resource("FetchWorkerFunction").at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText());
        assertTrue(resource("FetchFunction").at("/Environment/Variables/CARTOLA_QUEUE_URL").toString().contains("WorkQueue"));
        String fetch = resources.at("/FetchFunctionRole/Properties/Policies").toString();
        assertTrue(fetch.contains("sqs:SendMessage") && fetch.contains("WorkQueue"), "the planner may only send");
        assertFalse(fetch.contains("sqs:ReceiveMessage"));
        String worker = resources.at("/FetchWorkerFunctionRole/Properties/Policies").toString();
        assertTrue(worker.contains("sqs:ChangeMessageVisibility"), "a backoff: the SQS event's managed policy does not give it");
        assertTrue(resource("WorkDeadLettersAlarm").toString().contains("WorkDeadLetterQueue"));
        assertTrue(resource("WorkQueueBacklogAlarm").toString().contains("ApproximateAgeOfOldestMessage"));
    }

    @Test
    void secretsNeverSitInEnvironmentVariablesOrDefaults() {
        for (String function : List.of("FetchFunction", "WebhookFunction")) {
            JsonNode env = resource(function).at("/Environment/Variables");
            for (String name : List.of("CARTOLA_KHIPU_API_KEY", "CARTOLA_KHIPU_BEARER_TOKEN", "CARTOLA_CALLBACK_SECRET",
                    "CARTOLA_KHIPU_CLIENT_SECRET")) {
                assertFalse(env.has(name), function + " has " + name + " in plain text");
            }
            assertTrue(env.get("CARTOLA_CALLBACK_SECRET_ARN").toString().contains("CallbackSigningKey"));
        }
        assertTrue(resource("FetchFunction").at("/Environment/Variables/CARTOLA_KHIPU_SECRET_ARN").toString().contains("KhipuCredentials"));
        assertTrue(resource("CallbackSigningKey").has("GenerateSecretString"), "the signing key is generated, not written down");
        assertTrue(resource("KhipuCredentials").has("GenerateSecretString"));
        assertFalse(resource("KhipuCredentials").has("SecretString"));
    }

    @Test
    void theWebhookIsAPublicFunctionUrlWithBoundedConcurrency() {
        assertEquals("NONE", resource("WebhookFunctionUrl").get("AuthType").asText());
        assertTrue(resource("WebhookFunctionUrl").get("TargetFunctionArn").toString().contains("WebhookFunction"));
        assertTrue(resource("WebhookFunction").has("ReservedConcurrentExecutions"));
        assertEquals("webhook", resource("WebhookFunction").at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText());
        assertEquals("fetch", resource("FetchFunction").at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText());
        for (JsonNode r : resources) {
            if (r.get("Type").asText().equals("AWS::Lambda::Url")) {
                assertEquals("{\"Ref\":\"WebhookFunction\"}", r.at("/Properties/TargetFunctionArn").toString(), "only the webhook is public");
            }
        }
        for (String function : List.of("FetchFunction", "WebhookFunction")) {
            assertEquals("provided.al2023", resource(function).get("Runtime").asText());
        }
    }

    @Test
    void theScheduleInvokesOnlyFetchWithRetriesAndADeadLetterQueue() {
        JsonNode target = resource("FetchFunctionSchedule").get("Target");
        assertTrue(target.get("Arn").toString().contains("FetchFunction"));
        assertTrue(target.at("/DeadLetterConfig/Arn").toString().contains("FetchDeadLetterQueue"));
        assertTrue(target.at("/RetryPolicy/MaximumRetryAttempts").asInt() > 0);
        JsonNode role = resources.at("/FetchFunctionScheduleRole/Properties/Policies");
        for (JsonNode policy : role) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                String action = statement.get("Action").asText();
                assertTrue(action.equals("lambda:InvokeFunction") || action.equals("sqs:SendMessage"), statement.toString());
                assertTrue(statement.get("Resource").toString().contains(action.startsWith("lambda") ? "FetchFunction" : "FetchDeadLetterQueue"));
            }
        }
        assertTrue(resource("FetchFunctionEventInvokeConfig").at("/DestinationConfig/OnFailure/Destination").toString()
                .contains("FetchDeadLetterQueue"));
        // Lambda's own retries of a throttled invocation: not the default six hours, so no day-end run starts past midnight
        int maxAge = resource("FetchFunctionEventInvokeConfig").path("MaximumEventAgeInSeconds").asInt(21600);
        assertTrue(maxAge <= 900, "MaximumEventAgeInSeconds " + maxAge);
    }

    @Test
    void theNotRunningAlarmWaitsAsLongAsTheSchedulesGapAllows() {
        JsonNode alarm = resource("FetchNotRunningAlarm");
        assertEquals("{\"Ref\":\"FetchNotRunningHours\"}", alarm.get("EvaluationPeriods").toString());
        assertEquals("{\"Ref\":\"FetchNotRunningHours\"}", alarm.get("DatapointsToAlarm").toString());
        assertEquals(3600, alarm.get("Period").asInt());
    }

    @Test
    void logsAreKeptForALimitedTimeAndFailuresRaiseAlarms() {
        for (String group : List.of("FetchLogGroup", "WebhookLogGroup")) {
            assertTrue(resource(group).has("RetentionInDays"));
        }
        assertTrue(resource("FetchFunction").at("/LoggingConfig/LogGroup").toString().contains("FetchLogGroup"));
        assertTrue(resource("FetchErrorsAlarm").toString().contains("Errors"));
        assertTrue(resource("WebhookErrorsAlarm").toString().contains("Url5xxCount"));
        assertTrue(resource("DeadLettersAlarm").toString().contains("ApproximateNumberOfMessagesVisible"));
    }

    @Test
    void theDayIsCoveredToItsEndAndSettingsReachFetch() {
        assertTrue(resource("FetchFunctionDayEnd").get("ScheduleExpression").toString().contains("DayEndScheduleExpression"));
        assertTrue(resource("FetchFunctionDayEnd").get("Target").get("Arn").toString().contains("FetchFunction"));
        // the schedule's retries, then Lambda's own: together within the 15 minutes from 23:45 to midnight, with room to run
        int scheduler = resource("FetchFunctionDayEnd").at("/Target/RetryPolicy/MaximumEventAgeInSeconds").asInt();
        int lambda = resource("FetchFunctionEventInvokeConfig").path("MaximumEventAgeInSeconds").asInt(21600);
        assertTrue(scheduler + lambda <= 600, "a day-end run must not start after midnight: " + scheduler + " + " + lambda + " s");
        JsonNode env = resource("FetchFunction").at("/Environment/Variables");
        for (String name : List.of("CARTOLA_ACCOUNTS_KEY", "CARTOLA_CALLBACK_DEADLINE", "CARTOLA_FETCH_TIMEOUT",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "CARTOLA_METRICS_NAMESPACE")) {
            assertTrue(env.has(name), name);
        }
    }

    @Test
    void everyWayAnAccountGoesUnfetchedHasAnAlarmThatSaysWhatToDo() {
        assertTrue(resource("AccountsFailedOrLostAlarm").toString().contains("AccountsFailed"));
        assertTrue(resource("AccountsFailedOrLostAlarm").toString().contains("AccountsLost"));
        assertTrue(resource("AccountsFailedOrLostAlarm").toString().contains("AccountsNotReached"));
        assertTrue(resource("AccountsFailedOrLostAlarm").toString().contains("AccountsRefused"));
        assertTrue(resource("StaleDataAlarm").toString().contains("OldestDataAgeHours"));
        for (String alarm : List.of("BalanceGapAlarm", "DaysUnclosedAlarm")) {
            JsonNode a = resource(alarm);
            assertEquals(alarm.replace("Alarm", "").replace("BalanceGap", "BalanceGaps"), a.get("MetricName").asText());
            String description = a.get("AlarmDescription").asText();
            assertTrue(description.contains("cannot be fetched again") && description.contains("raw/"), description);
        }
        assertEquals("breaching", resource("FetchNotRunningAlarm").get("TreatMissingData").asText());
        for (Map.Entry<String, JsonNode> e : resources.properties()) {
            if (e.getValue().get("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                assertTrue(e.getValue().at("/Properties/AlarmDescription").toString().length() > 80,
                        e.getKey() + " says what to do");
            }
        }
    }

    @Test
    void whatTheUserEnteredOrMustInvestigateOutlivesTheStack() {
        for (String name : List.of("ResultsBucket", "KhipuCredentials", "CallbackSigningKey", "FetchDeadLetterQueue",
                "FetchLogGroup", "WebhookLogGroup")) {
            assertEquals("Retain", resources.at("/" + name + "/DeletionPolicy").asText(), name);
            assertEquals("Retain", resources.at("/" + name + "/UpdateReplacePolicy").asText(), name);
        }
        assertFalse(resource("FetchLogGroup").has("LogGroupName"), "a kept group must not block a new stack of the same name");
    }

    @Test
    void onlyTheNativeBuildsZipCanBeDeployed() throws Exception {
        String template = java.nio.file.Files.readString(TEMPLATE);
        assertTrue(template.contains("CodeUri: ../../target/native/function.zip"), "the path only -Dnative writes");
        assertEquals("provided.al2023", resource("FetchFunction").get("Runtime").asText());
    }
}
