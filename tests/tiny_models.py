"""A tiny causal LM and a tokenizer trained here, saved to a folder: what TRL and Axolotl load
in the tests instead of anything from a hub."""

from __future__ import annotations

from pathlib import Path

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
CORPUS = [
    "def parse(text):\n    try:\n        return int(text)\n    except ValueError:\n"
    "        return None\n",
    "function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n",
    'func Greet(name string) string {\n\treturn fmt.Sprintf("Hello, %s!", name)\n}\n',
    "pub fn mean(xs: &[f64]) -> Option<f64> { Some(xs.iter().sum::<f64>()) }\n",
    "Language: python\nFile: app.py\nWrite the function `parse`.\n",
    "<|user|>\n<|assistant|>\n<|system|>\n",
]


def build_tiny_model(folder: Path) -> Path:
    """A one-layer Llama and a byte-level BPE tokenizer with a chat template and pad/bos/eos;
    its weights seeded, so a test's figures are the same every run."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=512,
        special_tokens=["<unk>", "<pad>", "<s>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(CORPUS * 10, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
    )
    fast.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        pad_token_id=fast.pad_token_id,
        bos_token_id=fast.bos_token_id,
        eos_token_id=fast.eos_token_id,
        tie_word_embeddings=False,
    )
    torch.manual_seed(3)
    model = LlamaForCausalLM(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder
