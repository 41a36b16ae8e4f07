# Best lesion Dice at <= k normal scans marked: filters on mean p, peak p and echo contrast together, against mean p alone.
from score_blobs import score
FLOORS=(0.5,0.6,0.65,0.7,0.75,0.8,0.85,0.9)
res=[]
for fl in FLOORS:
  for mx in (0,0.9,0.95,0.98,0.99):
    for c in (-1,0.1,0.15,0.2,0.25,0.3):
      d,fp,nn,nl=score(lambda b,im: b['f']['mean']>=fl and b['f']['max']>=mx and b['f']['contrast']>=c)
      res.append((fp,d,fl,mx,c))
def frontier(rows):
  out={}
  for k in range(0,19):
    best=max(((d,s) for fp,d,*s in rows if fp<=k), default=None, key=lambda x:x[0])
    out[k]=best
  return out
allf=frontier(res); floor=frontier([r for r in res if r[3]==0 and r[4]==-1])
for k in range(0,19):
  a,f=allf[k],floor[k]
  print(k, 'all %.4f %s'%(a[0],a[1]) if a else 'all -', '| mean p alone %.4f %s'%(f[0],f[1]) if f else '| mean p alone -')
