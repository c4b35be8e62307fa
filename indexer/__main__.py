from indexer.cli import cli

if __name__ == "__main__":  # worker processes that read PDFs import this module too
    cli(prog_name="python -m indexer")
