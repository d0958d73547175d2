from vigie.triage.bench import run_classify_bench


def test_the_bench_prints_throughput_load_time_and_memory(model_dir, classifier):
    lines = []
    figures = run_classify_bench(lines.append, messages=600, model_dir=model_dir)
    assert any(line.startswith("classify.throughput messages_per_s=") for line in lines)
    assert any(line.startswith("classify.load_seconds=") for line in lines)
    assert any(
        line.startswith("classify.fast_path messages_per_s=") and "second_stage_share=" in line for line in lines
    )
    real = [line for line in lines if line.startswith("classify.real_text.")]
    assert real[0].startswith("classify.real_text.throughput messages_per_s=") and "messages=100" in real[0]
    assert real[1].startswith("classify.real_text.fast_path messages_per_s=") and "second_stage_share=" in real[1]
    assert any(line.startswith("classify.peak_memory_mb=") for line in lines)
    assert figures["messages_per_s"] > 0
