# huggingface_hub's upload_folder on the same folder, for tools/bench/upload.ts when BENCH_HF_PYTHON names a Python
# that can import huggingface_hub. Settings come from the environment (the token never goes in argv).
import os

from huggingface_hub import HfApi

HfApi(endpoint=os.environ["BENCH_HUB_URL"], token=os.environ["HF_TOKEN"]).upload_folder(
    repo_id=os.environ["BENCH_SPACE"], repo_type="space", folder_path=os.environ["BENCH_FOLDER"]
)
