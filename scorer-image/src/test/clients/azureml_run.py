"""Azure ML SDK v1's own call of a web service, `AksWebservice.run(input_data)` from azureml-core, against a
scorer's /score. The AksWebservice is made without a workspace: its scoring URI is the scorer's and get_keys()
answers the service's keys (in Azure ML it asks the workspace; here it is the only part replaced). run() itself,
its session, headers and error handling are azureml-core's. Prints one JSON object: the answer of a call with the
service's key, and what a call with a wrong key raised.
  python azureml_run.py SCORING_URI KEY INPUT_DATA_JSON
"""
import json
import sys

from azureml.core.webservice import AksWebservice
from azureml.exceptions import WebserviceException

scoring_uri, key, input_data = sys.argv[1], sys.argv[2], sys.argv[3]


def service(keys):
    webservice = object.__new__(AksWebservice)  # Webservice.__new__ would ask the workspace
    webservice.name = "iris"
    webservice.scoring_uri = scoring_uri
    webservice.auth_enabled = True
    webservice.token_auth_enabled = False
    webservice.state = "Healthy"
    webservice.error = None
    webservice._session = None
    webservice._refresh_token_time = None
    webservice.get_keys = lambda: keys
    return webservice


printed = {"answer": service((key, key)).run(input_data)}
try:
    service(("not-" + key, "not-" + key)).run(input_data)
    printed["wrong_key"] = "answered"
except WebserviceException as refused:
    printed["wrong_key"] = next(line.strip() for line in str(refused).splitlines() if "Response Code" in line)
print(json.dumps(printed))
