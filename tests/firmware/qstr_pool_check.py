# Names made at run time (here 1,000 attribute names) go into new qstr
# pools; qstr_info() before and after says how many pools they took.
import micropython


class Holder:
    pass


micropython.qstr_info()
holder = Holder()
for i in range(1000):
    setattr(holder, "name_made_at_run_time_%d" % i, i)
micropython.qstr_info()
