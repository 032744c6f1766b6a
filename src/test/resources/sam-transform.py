"""Prints the CloudFormation that AWS's SAM transform makes of a template, offline (the SAM
translator that cfn-lint ships with), so tests can check the roles and permissions SAM generates."""
import json
import sys

from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform

template, matches = decode(sys.argv[1])
if matches:
    sys.exit("cannot read %s: %s" % (sys.argv[1], matches))
transform = Transform(sys.argv[1], template, "us-east-1")
errors = transform.transform_template()
if errors:
    sys.exit("cannot transform %s: %s" % (sys.argv[1], [str(e) for e in errors]))
print(json.dumps(transform.template(), default=str))
