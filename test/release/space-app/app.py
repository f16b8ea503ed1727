# The small app the self-test deploys (.github/workflows/self-test.yml): one Gradio interface.
import gradio as gr

gr.Interface(lambda text: text, "text", "text").launch()
