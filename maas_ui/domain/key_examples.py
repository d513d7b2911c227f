"""Ready-to-paste example requests for a model endpoint (curl and the Python `openai` client).

The secret is never put in an example: it is read from an environment variable that the user
fills with the copy button's value.
"""

from __future__ import annotations

API_KEY_ENV = "MAAS_API_KEY"


def _base_url(endpoint_url: str) -> str:
    return endpoint_url.rstrip("/")


def curl_example(endpoint_url: str, model_id: str) -> str:
    return (
        f"export {API_KEY_ENV}=<paste the key copied above>\n"
        f"curl {_base_url(endpoint_url)}/chat/completions \\\n"
        f'  -H "Authorization: Bearer ${API_KEY_ENV}" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        f"  -d '{{\"model\": \"{model_id}\", "
        '"messages": [{"role": "user", "content": "Hello!"}]}\''
    )


def python_example(endpoint_url: str, model_id: str) -> str:
    return (
        "import os\n"
        "from openai import OpenAI\n"
        "\n"
        "client = OpenAI(\n"
        f'    base_url="{_base_url(endpoint_url)}",\n'
        f'    api_key=os.environ["{API_KEY_ENV}"],\n'
        ")\n"
        "response = client.chat.completions.create(\n"
        f'    model="{model_id}",\n'
        '    messages=[{"role": "user", "content": "Hello!"}],\n'
        ")\n"
        "print(response.choices[0].message.content)"
    )
