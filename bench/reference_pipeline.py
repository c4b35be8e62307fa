"""The tutorial LangChain RAG pipeline, the reference the speed benchmark measures us against.

PyPDFLoader pages -> RecursiveCharacterTextSplitter(1000, 100) -> HuggingFaceEmbeddings (the same
packaged MiniLM) -> FAISS.from_documents -> similarity_search(k=5). Used only by bench/speed.py.

    python bench/reference_pipeline.py build CORPUS_DIR STORE_DIR
    python bench/reference_pipeline.py serve STORE_DIR PORT     # a minimal streaming Gradio chat
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def embeddings():
    from langchain_huggingface import HuggingFaceEmbeddings

    from indexer.embedding import model_path
    from indexer.settings import DEFAULT_MODEL_ID

    return HuggingFaceEmbeddings(model_name=str(model_path(DEFAULT_MODEL_ID)), model_kwargs={"device": "cpu"},
                                 encode_kwargs={"normalize_embeddings": True})


def build(corpus: Path, store: Path) -> int:
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_community.vectorstores import FAISS
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    pages = [page for pdf in sorted(corpus.glob("*.pdf")) for page in PyPDFLoader(str(pdf)).load()]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100).split_documents(pages)
    FAISS.from_documents(chunks, embeddings()).save_local(str(store))
    return len(chunks)


def load(store: Path):
    from langchain_community.vectorstores import FAISS

    # The store was written by build() above in this same benchmark run, so its pickle is our own.
    return FAISS.load_local(str(store), embeddings(), allow_dangerous_deserialization=True)


def serve(store: Path, port: int) -> None:
    """A minimal web chat: the top passage of similarity_search(k=5), streamed word by word."""
    import gradio as gr

    vectors = load(store)

    def respond(message: str, history: list):
        docs = vectors.similarity_search(message, k=5)
        words = (docs[0].page_content if docs else "").split(" ")
        for end in range(6, len(words) + 6, 6):
            yield " ".join(words[:end])

    gr.ChatInterface(respond, api_name="chat").queue().launch(server_name="127.0.0.1", server_port=port)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "build":
        print(build(Path(args[0]), Path(args[1])))
    elif command == "serve":
        serve(Path(args[0]), int(args[1]))
    else:
        raise SystemExit(__doc__)
