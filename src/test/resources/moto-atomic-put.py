"""moto_server whose conditional PUTs are atomic, as S3's are, and which checks Secrets Manager
permissions per secret.

moto checks If-Match / If-None-Match and then writes, without a lock: under load two racing conditional
PUTs of one key can both succeed (seen: 2 winners of 20), where S3 lets exactly one through. The tests
of view merges, token claims and account state rely on S3's behaviour, so PutObject runs one at a time
here; every other request stays concurrent.

With IAM enforced (INITIAL_NO_AUTH_ACTION_COUNT), moto 5.2.1 differs from AWS in three ways that matter to
cartola's template, made right here:
- it checks a Secrets Manager request against the resource "*" only, so a policy naming the secret's ARN
  would be denied and one naming another secret allowed: here the resource is the secret the request names;
- it checks SendMessageBatch (DeleteMessageBatch, ChangeMessageVisibilityBatch) against a permission of that
  name, which IAM does not have: SQS authorises them by sqs:SendMessage (...), as here;
- it recomputes an S3 request's signature over the decoded path and query, so a key with '=' (account=...)
  or a listing with a prefix never matches: here over the path and query as the SDKs encode them.
"""
import sys
import threading
from urllib.parse import quote, unquote

from moto.iam.access_control import IAMRequestBase, S3IAMRequest
from moto.s3.responses import S3Response
from moto.secretsmanager.responses import SecretsManagerResponse
from moto.server import main

_lock = threading.Lock()
_put_object = S3Response.put_object


def put_object(self, *args, **kwargs):
    with _lock:
        return _put_object(self, *args, **kwargs)


def secret_resource(self):
    try:
        secret = self.backend.secrets.get(self._get_param("SecretId"))
        return secret.arn if secret is not None else "*"
    except Exception:  # no SecretId (CreateSecret, ListSecrets) or none such: moto's own answer follows
        return "*"


def s3_request(self):
    path, separator, query = self._path.partition("?")
    pairs = [pair.partition("=") for pair in query.split("&")] if query else []
    query = "&".join(quote(unquote(k), safe="-_.~") + eq + quote(unquote(v), safe="-_.~") for k, eq, v in pairs)
    self._path = quote(unquote(path), safe="/~") + separator + query
    return _s3_request(self)


# the SQS batch actions are authorised by the single action's permission
_BATCHES = {"sqs:SendMessageBatch": "sqs:SendMessage", "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility"}
_check_action_permitted = IAMRequestBase.check_action_permitted


def check_action_permitted(self, resource):
    self._action = _BATCHES.get(self._action, self._action)
    return _check_action_permitted(self, resource)


_s3_request = S3IAMRequest._create_aws_request
S3Response.put_object = put_object
SecretsManagerResponse._determine_resource = secret_resource
S3IAMRequest._create_aws_request = s3_request
IAMRequestBase.check_action_permitted = check_action_permitted

if __name__ == "__main__":
    main(sys.argv[1:])
