import reflex as rx

class Button(rx.Component):
    library = "@patternfly/react-core@6.6.1"
    tag = "Button"
    variant: rx.Var[str]
    def add_imports(self):
        return {"": "@patternfly/react-core/dist/styles/base.css"}

def index():
    return rx.el.div(Button.create("Hello", variant="primary"))

app = rx.App()
app.add_page(index)
