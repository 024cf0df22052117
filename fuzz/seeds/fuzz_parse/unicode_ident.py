café = 1
naïve = café + 1
π = 3.14159
日本 = "nihon"
Σ = sum
def função(ação, *, über=1): return ação
class Ünïcödé: pass
x = café.ñ
ﬁ = 1
ℌ = 2
ｘ = 3
