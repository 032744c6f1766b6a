"""moto_server whose conditional PUTs are atomic, as S3's are.

moto checks If-Match / If-None-Match and then writes, without a lock: under load two racing conditional
PUTs of one key can both succeed (seen: 2 winners of 20), where S3 lets exactly one through. The tests
of view merges, token claims and account state rely on S3's behaviour, so PutObject runs one at a time
here; every other request stays concurrent.
"""
import sys
import threading

from moto.s3.responses import S3Response
from moto.server import main

_lock = threading.Lock()
_put_object = S3Response.put_object


def put_object(self, *args, **kwargs):
    with _lock:
        return _put_object(self, *args, **kwargs)


S3Response.put_object = put_object

if __name__ == "__main__":
    main(sys.argv[1:])
